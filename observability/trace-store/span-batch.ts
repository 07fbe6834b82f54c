/**
 * One write's span groups as one compressed batch (migration 0015): JSON, raw-deflated at level 1.
 * Turns repeat the same span names, attribute keys and statements, so a batch of about 150 turns
 * compresses to a twelfth; the database then stores and logs a few hundred bytes per turn instead
 * of parsing and compressing six thousand (npm run bench:trace-store). Deflating runs on libuv's
 * thread pool, not on the application's thread.
 */
import { promisify } from "node:util";
import { deflateRaw, inflateRawSync } from "node:zlib";

const deflate = promisify(deflateRaw);

export interface SpanGroup<Span> {
  readonly trace_id: string;
  readonly spans: ReadonlyArray<Span>;
}

/** The groups packed, as base64 (a text parameter every driver passes as it is; `decode(…, 'base64')` stores the bytes). */
export const packSpanGroups = async <Span>(groups: ReadonlyArray<SpanGroup<Span>>): Promise<string> =>
  (await deflate(Buffer.from(JSON.stringify(groups), "utf8"), { level: 1 })).toString("base64");

/** A stored batch's groups by trace id (a trace written twice in one batch cannot happen: a write groups by trace). */
export const unpackSpanGroups = <Span>(packed: Uint8Array): Map<string, ReadonlyArray<Span>> => {
  const groups = JSON.parse(inflateRawSync(packed).toString("utf8")) as Array<SpanGroup<Span>>;
  return new Map(groups.map((group) => [group.trace_id, group.spans]));
};
