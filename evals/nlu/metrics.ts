/** Intent accuracy and slot exact-match over labelled messages. */
import type { Understanding } from "../../models/offline/index.ts";

export interface Labelled {
  readonly text: string;
  readonly intent: string;
  readonly slots: Record<string, unknown>;
}

/**
 * Intent pairs the dialogue handles the same way for some messages, and when. A financing follow-up
 * that names no car ("¿y a 72?", "y con 20% de enganche?") and a bare answer ("a 72", "20%") both
 * update the open financing request with the same slots and lead to the same quote: one is labelled
 * `financing`, the other `provide_info`, and a message in between can honestly be read either way.
 * They differ only inside an affordability flow (a bare answer fills the budget question there), so
 * the strict number stays the headline and this one is reported beside it.
 */
export const equivalentReadings = (expected: Labelled, got: Understanding): boolean => {
  const pair = new Set([expected.intent, got.intent]);
  if (!(pair.has("financing") && pair.has("provide_info") && pair.size === 2)) return false;
  const conditionsOnly = (slots: Record<string, unknown>) => Object.keys(slots).every((k) => ["termMonths", "downPayment", "downPaymentPercent"].includes(k));
  return conditionsOnly(expected.slots) && conditionsOnly(got.slots as Record<string, unknown>);
};

export interface NluMetrics {
  readonly messages: number;
  readonly intentAccuracy: number;
  /** Intent accuracy counting `equivalentReadings` as right. */
  readonly intentAccuracyEquivalenceAware: number;
  /** Over every (message, slot) pair where the label or the prediction has the slot. */
  readonly slotExactMatch: number;
  /** Messages whose whole slot set matches. */
  readonly messageSlotExactMatch: number;
  readonly perSlot: Record<string, { readonly support: number; readonly exactMatch: number }>;
  readonly perIntent: Record<string, { readonly support: number; readonly accuracy: number }>;
  readonly failures: ReadonlyArray<{ text: string; expected: unknown; got: unknown }>;
}

/** Key order never matters; the order of a list of labels (needs, body types) does not either. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, value: unknown) =>
    Array.isArray(value) && value.every((x) => typeof x === "string")
      ? [...(value as string[])].sort()
      : value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
        : value,
  );

const ratio = (a: number, b: number): number => (b === 0 ? 1 : Math.round((a / b) * 10000) / 10000);

export const scoreNlu = (set: ReadonlyArray<Labelled>, predict: (text: string) => Understanding): NluMetrics => {
  let intentOk = 0;
  let intentEquivalent = 0;
  let slotItems = 0;
  let slotOk = 0;
  let messageOk = 0;
  const perSlot = new Map<string, { support: number; ok: number }>();
  const perIntent = new Map<string, { support: number; ok: number }>();
  const failures: { text: string; expected: unknown; got: unknown }[] = [];
  for (const item of set) {
    const got = predict(item.text);
    const gotSlots = got.slots as Record<string, unknown>;
    const intentMatch = got.intent === item.intent;
    if (intentMatch) intentOk++;
    if (intentMatch || equivalentReadings(item, got)) intentEquivalent++;
    const pi = perIntent.get(item.intent) ?? { support: 0, ok: 0 };
    perIntent.set(item.intent, { support: pi.support + 1, ok: pi.ok + (intentMatch ? 1 : 0) });
    const keys = new Set([...Object.keys(item.slots), ...Object.keys(gotSlots)]);
    let allOk = true;
    for (const key of keys) {
      const ok = canonical(item.slots[key]) === canonical(gotSlots[key]);
      slotItems++;
      if (ok) slotOk++;
      else allOk = false;
      const ps = perSlot.get(key) ?? { support: 0, ok: 0 };
      perSlot.set(key, { support: ps.support + 1, ok: ps.ok + (ok ? 1 : 0) });
    }
    if (allOk) messageOk++;
    if (!intentMatch || !allOk) failures.push({ text: item.text, expected: { intent: item.intent, slots: item.slots }, got });
  }
  return {
    messages: set.length,
    intentAccuracy: ratio(intentOk, set.length),
    intentAccuracyEquivalenceAware: ratio(intentEquivalent, set.length),
    slotExactMatch: ratio(slotOk, slotItems),
    messageSlotExactMatch: ratio(messageOk, set.length),
    perSlot: Object.fromEntries([...perSlot].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { support: v.support, exactMatch: ratio(v.ok, v.support) }])),
    perIntent: Object.fromEntries([...perIntent].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { support: v.support, accuracy: ratio(v.ok, v.support) }])),
    failures,
  };
};
