/**
 * A stand-in for a Meilisearch server (none can run on this machine), speaking its HTTP wire
 * format for what the sync code uses: index creation, settings, document addition/deletion,
 * asynchronous tasks. It does not rank: /multi-search answers with whatever the test sets.
 * Tasks finish at once unless `failTasks` names their type.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Json = Record<string, any>;

interface FakeIndex {
  readonly uid: string;
  readonly primaryKey: string;
  readonly docs: Map<string | number, Json>;
  settings: Json;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/** Meilisearch's defaults, as GET /settings reports them on a new index. */
const defaultSettings = (): Json => ({
  displayedAttributes: ["*"],
  searchableAttributes: ["*"],
  filterableAttributes: [],
  sortableAttributes: [],
  rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness"],
  stopWords: [],
  nonSeparatorTokens: [],
  separatorTokens: [],
  dictionary: [],
  synonyms: {},
  distinctAttribute: null,
  proximityPrecision: "byWord",
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [], disableOnNumbers: false },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
  pagination: { maxTotalHits: 1000 },
  searchCutoffMs: null,
  localizedAttributes: null,
  facetSearch: true,
  prefixSearch: "indexingTime",
});

export class FakeMeilisearch {
  readonly indexes = new Map<string, FakeIndex>();
  readonly requests: RecordedRequest[] = [];
  readonly tasks = new Map<number, Json>();
  /** Task types that fail (e.g. "documentAdditionOrUpdate"). */
  failTasks = new Set<string>();
  /** The answer to POST /multi-search; default: 503 as when the server is overloaded. */
  multiSearch: (body: Json) => { status: number; body: Json } = () => ({
    status: 503,
    body: { message: "service unavailable", code: "internal", type: "internal", link: "" },
  });
  private nextTask = 0;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  requestsTo(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const body = raw ? JSON.parse(raw) : undefined;
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    const method = req.method ?? "GET";
    this.requests.push({ method, path, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    const indexNotFound = (uid: string) =>
      send(404, { message: `Index \`${uid}\` not found.`, code: "index_not_found", type: "invalid_request", link: "https://docs.meilisearch.com/errors#index_not_found" });

    let m: RegExpExecArray | null;
    if (method === "GET" && path === "/health") return send(200, { status: "available" });
    if (method === "POST" && path === "/indexes") {
      const uid = body.uid as string;
      return send(202, this.enqueue("indexCreation", uid, () => {
        if (this.indexes.has(uid)) return { code: "index_already_exists", message: `Index \`${uid}\` already exists.` };
        this.indexes.set(uid, { uid, primaryKey: body.primaryKey ?? "id", docs: new Map(), settings: defaultSettings() });
        return null;
      }));
    }
    if ((m = /^\/tasks\/(\d+)$/.exec(path)) && method === "GET") {
      const task = this.tasks.get(Number(m[1]));
      return task ? send(200, task) : send(404, { message: "task not found", code: "task_not_found", type: "invalid_request", link: "" });
    }
    if ((m = /^\/indexes\/([^/]+)\/settings$/.exec(path))) {
      const uid = decodeURIComponent(m[1]!);
      const index = this.indexes.get(uid);
      if (method === "GET") return index ? send(200, index.settings) : indexNotFound(uid);
      if (method === "PATCH")
        return send(202, this.enqueue("settingsUpdate", uid, () => {
          const target = this.indexes.get(uid);
          if (!target) return { code: "index_not_found", message: `Index \`${uid}\` not found.` };
          // Meilisearch reports set-like attribute lists sorted.
          const next = { ...target.settings, ...body };
          for (const key of ["filterableAttributes", "sortableAttributes"]) if (Array.isArray(next[key])) next[key] = [...next[key]].sort();
          target.settings = next;
          return null;
        }));
    }
    if ((m = /^\/indexes\/([^/]+)\/documents$/.exec(path)) && method === "POST") {
      const uid = decodeURIComponent(m[1]!);
      return send(202, this.enqueue("documentAdditionOrUpdate", uid, () => {
        const index = this.indexes.get(uid);
        if (!index) return { code: "index_not_found", message: `Index \`${uid}\` not found.` };
        for (const doc of body as Json[]) index.docs.set(doc[index.primaryKey], doc);
        return null;
      }));
    }
    if ((m = /^\/indexes\/([^/]+)\/documents\/delete-batch$/.exec(path)) && method === "POST") {
      const uid = decodeURIComponent(m[1]!);
      return send(202, this.enqueue("documentDeletion", uid, () => {
        for (const id of body as Array<string | number>) this.indexes.get(uid)?.docs.delete(id);
        return null;
      }));
    }
    if ((m = /^\/indexes\/([^/]+)\/documents\/delete$/.exec(path)) && method === "POST") {
      const uid = decodeURIComponent(m[1]!);
      return send(202, this.enqueue("documentDeletion", uid, () => {
        const filter = /^(\w+) < (\d+)$/.exec(String(body.filter));
        if (!filter) return { code: "invalid_document_filter", message: `unsupported filter in the fake: ${body.filter}` };
        const index = this.indexes.get(uid);
        for (const [id, doc] of index?.docs ?? []) if (!(doc[filter[1]!] >= Number(filter[2]))) index!.docs.delete(id);
        return null;
      }));
    }
    if (method === "POST" && path === "/multi-search") {
      const answer = this.multiSearch(body);
      return send(answer.status, answer.body);
    }
    send(404, { message: `no route ${method} ${path} in the fake`, code: "not_found", type: "invalid_request", link: "" });
  }

  /** Records a task, runs it, and stores the task object GET /tasks/:uid returns. */
  private enqueue(type: string, indexUid: string, run: () => { code: string; message: string } | null) {
    const uid = this.nextTask++;
    const enqueuedAt = new Date().toISOString();
    const error = this.failTasks.has(type) ? { code: "internal", message: `the fake was told to fail ${type}` } : run();
    this.tasks.set(uid, {
      uid,
      batchUid: uid,
      indexUid,
      status: error ? "failed" : "succeeded",
      type,
      canceledBy: null,
      details: {},
      error: error ? { ...error, type: "invalid_request", link: "" } : null,
      duration: "PT0.001S",
      enqueuedAt,
      startedAt: enqueuedAt,
      finishedAt: enqueuedAt,
    });
    return { taskUid: uid, indexUid, status: "enqueued", type, enqueuedAt };
  }
}
