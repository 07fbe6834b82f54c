/**
 * A deterministic stand-in for an embedding model that speaks the OpenAI embeddings wire format:
 * a local HTTP server answering POST /v1/embeddings ({ model, input: string | string[] }) with
 * { object: "list", data: [{ object: "embedding", index, embedding }], model, usage }.
 *
 * Its vectors are hashed bags of word stems and character trigrams (accents folded), L2-normalised:
 * texts that share words are close, as with a real model, and the same text always gives the same
 * vector. It records every request so tests can check what was sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";

export const STAND_IN_DIMENSIONS = 256;

const bucket = (feature: string) => createHash("md5").update(feature).digest().readUInt32LE(0) % STAND_IN_DIMENSIONS;

export const standInEmbedding = (text: string): number[] => {
  const vector = new Array<number>(STAND_IN_DIMENSIONS).fill(0);
  const words = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2);
  for (const word of words) {
    vector[bucket(`w:${word.slice(0, 5)}`)]! += 1;
    for (let i = 0; i + 3 <= word.length; i++) vector[bucket(`t:${word.slice(i, i + 3)}`)]! += 0.3;
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
};

export interface EmbeddingRequest {
  readonly model: string;
  readonly inputs: ReadonlyArray<string>;
  readonly authorization: string | undefined;
}

export interface StandInEmbeddingServer {
  /** The base URL to configure as OPENAI_BASE_URL (ends in /v1). */
  readonly baseURL: string;
  readonly requests: ReadonlyArray<EmbeddingRequest>;
  /** Makes the next requests fail with HTTP 500 (true) or succeed again (false). */
  readonly failing: (fail: boolean) => void;
  readonly close: () => Promise<void>;
}

export const startStandInEmbeddingServer = async (embedder: (text: string) => number[] = standInEmbedding): Promise<StandInEmbeddingServer> => {
  const requests: EmbeddingRequest[] = [];
  let fail = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/embeddings") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
        return;
      }
      if (fail) {
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "stand-in failure", type: "server_error" } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { model?: string; input?: string | string[] };
      const inputs = Array.isArray(body.input) ? body.input : [String(body.input ?? "")];
      requests.push({ model: String(body.model), inputs, authorization: req.headers.authorization });
      const tokens = inputs.reduce((sum, text) => sum + text.split(/\s+/).length, 0);
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          object: "list",
          data: inputs.map((text, index) => ({ object: "embedding", index, embedding: embedder(text) })),
          model: body.model,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    failing: (value) => {
      fail = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
