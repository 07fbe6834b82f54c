/**
 * What was stored, read back the way a client reads it: every quote id a tool returned must be
 * fetchable (GET /v1/financing/quotes/:id) with the same figures, and each plan's amortisation
 * schedule must have one row per month, the interest of each month on the balance (half-up to the
 * cent), the agreed payment, and end at exactly 0.00 (oracles.ts expectedSchedule).
 */
import { expectedSchedule } from "./oracles.ts";

/** What GET /v1/financing/quotes/:id answered for a quote id: its status and body. */
export interface StoredQuoteRead {
  readonly status: number;
  readonly body: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every quote id in the tool calls' outputs, with the output that returned it. */
export const quotesIn = (calls: ReadonlyArray<{ readonly name: string; readonly output: unknown }>): Array<{ id: string; output: Record<string, unknown> }> =>
  calls.flatMap((call) => (isRecord(call.output) && typeof call.output.quoteId === "string" ? [{ id: call.output.quoteId, output: call.output }] : []));

/** Reads every quote id back from the server. */
export const readQuotes = async (baseUrl: string, ids: ReadonlyArray<string>): Promise<Record<string, StoredQuoteRead>> => {
  const reads: Record<string, StoredQuoteRead> = {};
  for (const id of new Set(ids)) {
    try {
      const get = () => fetch(`${baseUrl}/v1/financing/quotes/${encodeURIComponent(id)}`);
      // One retry for a connection the server closed under us (not for an answer).
      const response = await get().catch(() => get());
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text for the report
      }
      reads[id] = { status: response.status, body };
    } catch (error) {
      reads[id] = { status: 0, body: String(error) };
    }
  }
  return reads;
};

/** Every way a stored quote differs from the tool result that returned its id, or from a right schedule. */
export const checkStoredQuote = (id: string, output: Record<string, unknown>, read: StoredQuoteRead | undefined): string[] => {
  if (read === undefined) return [`quote ${id} was not read back`];
  if (read.status !== 200 || !isRecord(read.body)) return [`GET /v1/financing/quotes/${id} answered ${read.status}`];
  const stored = read.body;
  const problems: string[] = [];
  if (stored.id !== id) problems.push(`stored id ${JSON.stringify(stored.id)}`);
  for (const key of ["price", "downPayment", "financed"] as const)
    if (stored[key] !== output[key]) problems.push(`${key}: stored ${JSON.stringify(stored[key])}, the tool said ${JSON.stringify(output[key])}`);
  const car = isRecord(output.car) ? output.car : undefined;
  if ((stored.stockId ?? null) !== (car?.stockId ?? null)) problems.push(`stockId: stored ${JSON.stringify(stored.stockId)}, the tool's car ${JSON.stringify(car?.stockId ?? null)}`);
  if (Math.abs(Number(stored.annualRate) * 100 - Number(String(output.annualRate).replace("%", ""))) > 1e-9) problems.push(`annualRate: stored ${JSON.stringify(stored.annualRate)}, the tool said ${JSON.stringify(output.annualRate)}`);
  const storedPlans = Array.isArray(stored.plans) ? stored.plans.filter(isRecord) : [];
  const toolPlans = Array.isArray(output.plans) ? output.plans.filter(isRecord) : [];
  if (storedPlans.length !== toolPlans.length) problems.push(`${storedPlans.length} stored plans, the tool gave ${toolPlans.length}`);
  for (const plan of toolPlans) {
    const months = Number(plan.termMonths);
    const kept = storedPlans.find((p) => p.termMonths === months);
    if (kept === undefined) {
      problems.push(`no stored plan for ${months} months`);
      continue;
    }
    for (const key of ["monthlyPayment", "totalPaid", "totalInterest"] as const)
      if (kept[key] !== plan[key]) problems.push(`${months} months ${key}: stored ${JSON.stringify(kept[key])}, the tool said ${JSON.stringify(plan[key])}`);
    const schedule = Array.isArray(kept.schedule) ? kept.schedule.filter(isRecord) : undefined;
    if (schedule === undefined) {
      problems.push(`${months} months: no schedule`);
      continue;
    }
    if (schedule.length !== months) problems.push(`${months} months: the schedule has ${schedule.length} rows`);
    const last = schedule.at(-1);
    if (last !== undefined && last.balance !== "0.00") problems.push(`${months} months: the schedule ends at ${JSON.stringify(last.balance)}, not 0.00`);
    const expected = expectedSchedule(Number(output.financed), months);
    const wrong = schedule.findIndex((row, i) => {
      const want = expected[i];
      return want === undefined || row.month !== want.month || row.payment !== want.payment || row.interest !== want.interest || row.principal !== want.principal || row.balance !== want.balance;
    });
    if (wrong >= 0) problems.push(`${months} months: schedule row ${wrong + 1} is ${JSON.stringify(schedule[wrong])}, expected ${JSON.stringify(expected[wrong])}`);
    if (expected[0] !== undefined && plan.monthlyPayment !== expected[0].payment && months > 1) problems.push(`${months} months: monthly payment ${plan.monthlyPayment}, the schedule's is ${expected[0].payment}`);
  }
  return problems;
};

/** All stored-result problems of a set of tool calls. */
export const checkStored = (calls: ReadonlyArray<{ readonly name: string; readonly output: unknown }>, reads: Readonly<Record<string, StoredQuoteRead>> | undefined): string[] =>
  quotesIn(calls).flatMap(({ id, output }) => (reads === undefined ? [`quote ${id} was not read back`] : checkStoredQuote(id, output, reads[id]).map((p) => `quote ${id}: ${p}`)));
