/**
 * A local stand-in of the external fines API (the format in ../http-registry.ts), for tests and
 * the release gate: fines by plate, a key it requires, and switches to fail or hang.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInFine {
  readonly folio: string;
  readonly description: string;
  readonly authority: string;
  readonly issued_on: string;
  readonly amount: string | number;
  readonly status?: "unpaid" | "paid";
}

export interface RegistryStandIn {
  readonly url: string;
  /** "ok" answers; "fail" answers 503; "hang" never answers; "garbage" answers HTML. */
  mode: "ok" | "fail" | "hang" | "garbage";
  readonly requests: Array<{ readonly path: string; readonly authorization: string | undefined }>;
  readonly close: () => Promise<void>;
}

export const startRegistryStandIn = async (options: { readonly key: string; readonly fines: Record<string, ReadonlyArray<StandInFine>> }): Promise<RegistryStandIn> => {
  const requests: RegistryStandIn["requests"] = [];
  const state = { mode: "ok" as RegistryStandIn["mode"] };
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    if (state.mode === "hang") return;
    if (state.mode === "fail") return void res.writeHead(503, { "content-type": "application/json" }).end('{"error":"maintenance"}');
    if (state.mode === "garbage") return void res.writeHead(200, { "content-type": "text/html" }).end("<html>captcha</html>");
    if (req.headers.authorization !== `Bearer ${options.key}`) return void res.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
    const match = /^\/v1\/plates\/([A-Z0-9]+)\/fines$/.exec(req.url ?? "");
    if (req.method !== "GET" || match === null) return void res.writeHead(404).end();
    const fines = options.fines[match[1]!];
    if (fines === undefined) return void res.writeHead(404, { "content-type": "application/json" }).end('{"error":"plate_not_found"}');
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ plate: match[1], fines }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get mode() {
      return state.mode;
    },
    set mode(value) {
      state.mode = value;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
