/**
 * The fines registry over HTTP: an external fines API, configured by URL and key
 * (FINES_REGISTRY_URL, FINES_REGISTRY_KEY). The format it speaks:
 *
 *   GET {url}/v1/plates/{PLATE}/fines        Authorization: Bearer {key}
 *   200 { "plate": "NXR4521", "fines": [ { "folio": "…", "description": "…", "authority": "…",
 *         "issued_on": "2026-01-18", "amount": "1737.12", "status": "unpaid" | "paid" } ] }
 *   404 the plate is unknown to the registry (no fines)
 *   anything else, a timeout or an unreadable body: the registry is unavailable.
 *
 * Amounts are decimal strings (or numbers) in pesos, converted to cents exactly; a malformed
 * amount fails the lookup rather than being rounded. Paid fines are left out.
 * Tested against a local stand-in (testing/registry-stand-in.ts); no real provider was available.
 */
import { Effect, Layer, Redacted } from "effect";
import { z } from "zod";
import { decimalToCents, sumCents } from "./money.ts";
import { maskPlate } from "./plates.ts";
import { FinesRegistry, FinesRegistryError, type Fine } from "./registry.ts";

export interface HttpRegistryOptions {
  readonly url: string;
  readonly key: Redacted.Redacted<string> | undefined;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

const responseSchema = z.object({
  plate: z.string().optional(),
  fines: z.array(
    z.object({
      folio: z.string().min(1),
      description: z.string(),
      authority: z.string().default(""),
      issued_on: z.string().regex(/^\d{4}-\d{2}-\d{2}/),
      amount: z.union([z.string(), z.number()]),
      status: z.enum(["unpaid", "paid"]).default("unpaid"),
    }),
  ),
});

export const makeHttpRegistry = (options: HttpRegistryOptions) => {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, "");
  const lookup = (plate: string) =>
    Effect.gen(function* () {
      const response = yield* Effect.tryPromise({
        try: (signal) =>
          doFetch(`${base}/v1/plates/${encodeURIComponent(plate)}/fines`, {
            headers: { accept: "application/json", ...(options.key ? { authorization: `Bearer ${Redacted.value(options.key)}` } : {}) },
            signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs)]),
          }),
        catch: (cause) =>
          cause instanceof Error && cause.name === "TimeoutError"
            ? new FinesRegistryError({ reason: "timeout", message: `no answer within ${options.timeoutMs} ms` })
            : new FinesRegistryError({ reason: "unavailable", message: "the fines API could not be reached", cause }),
      });
      if (response.status === 404) return { plate, fines: [], totalCents: 0, source: "http" as const };
      if (!response.ok) return yield* new FinesRegistryError({ reason: "unavailable", message: `the fines API answered ${response.status}` });
      const body = yield* Effect.tryPromise({
        try: () => response.json() as Promise<unknown>,
        catch: () => new FinesRegistryError({ reason: "bad_response", message: "the fines API answered something that is not JSON" }),
      });
      const parsed = responseSchema.safeParse(body);
      if (!parsed.success) return yield* new FinesRegistryError({ reason: "bad_response", message: "the fines API answered an unknown format" });
      const fines: Fine[] = [];
      for (const fine of parsed.data.fines) {
        if (fine.status === "paid") continue;
        const amountCents = decimalToCents(fine.amount);
        if (amountCents === undefined || amountCents <= 0) return yield* new FinesRegistryError({ reason: "bad_response", message: `fine ${fine.folio}: amount is not pesos with at most two decimals` });
        fines.push({ folio: fine.folio, description: fine.description, authority: fine.authority, issuedOn: fine.issued_on.slice(0, 10), amountCents });
      }
      fines.sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.folio.localeCompare(b.folio));
      return { plate, fines, totalCents: sumCents(fines.map((f) => f.amountCents)), source: "http" as const };
    }).pipe(Effect.withSpan("fines.registry.lookup", { attributes: { "fines.registry": "http", "fines.plate": maskPlate(plate) } }));
  return FinesRegistry.of({ kind: "http", lookup });
};

export const httpRegistryLayer = (options: HttpRegistryOptions) => Layer.succeed(FinesRegistry, makeHttpRegistry(options));
