/** Intent accuracy and slot exact-match over labelled messages. */
import type { Understanding } from "../../core/model/offline/index.ts";

export interface Labelled {
  readonly text: string;
  readonly intent: string;
  readonly slots: Record<string, unknown>;
}

export interface NluMetrics {
  readonly messages: number;
  readonly intentAccuracy: number;
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
    slotExactMatch: ratio(slotOk, slotItems),
    messageSlotExactMatch: ratio(messageOk, set.length),
    perSlot: Object.fromEntries([...perSlot].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { support: v.support, exactMatch: ratio(v.ok, v.support) }])),
    perIntent: Object.fromEntries([...perIntent].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { support: v.support, accuracy: ratio(v.ok, v.support) }])),
    failures,
  };
};
