/**
 * A minimal OTLP/HTTP trace receiver for tests: POST /v1/traces in http/protobuf or http/json,
 * decoded here independently of the SDK's own encoders (a small protobuf reader over the OTLP
 * trace schema), and POST /v1/metrics accepted and counted.
 */
import { createServer, type Server } from "node:http";

export type AttributeValue = string | number | boolean | ReadonlyArray<unknown> | Record<string, unknown> | null;

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  readonly attributes: Record<string, AttributeValue>;
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly scope: string;
  readonly resource: Record<string, AttributeValue>;
}

// ---------------------------------------------------------------- protobuf wire format

type Field = { readonly number: number; readonly wire: number; readonly varint?: bigint; readonly bytes?: Uint8Array; readonly fixed?: Buffer };

const readVarint = (buf: Uint8Array, at: { pos: number }): bigint => {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[at.pos++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7n;
  }
};

const fields = (buf: Uint8Array): Field[] => {
  const out: Field[] = [];
  const at = { pos: 0 };
  while (at.pos < buf.length) {
    const tag = Number(readVarint(buf, at));
    const number = tag >>> 3;
    const wire = tag & 7;
    if (wire === 0) out.push({ number, wire, varint: readVarint(buf, at) });
    else if (wire === 1) {
      out.push({ number, wire, fixed: Buffer.from(buf.subarray(at.pos, at.pos + 8)) });
      at.pos += 8;
    } else if (wire === 2) {
      const length = Number(readVarint(buf, at));
      out.push({ number, wire, bytes: buf.subarray(at.pos, at.pos + length) });
      at.pos += length;
    } else if (wire === 5) {
      out.push({ number, wire, fixed: Buffer.from(buf.subarray(at.pos, at.pos + 4)) });
      at.pos += 4;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
};

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString("utf8") : "");
const hex = (bytes: Uint8Array | undefined) => (bytes && bytes.length > 0 ? Buffer.from(bytes).toString("hex") : undefined);

const anyValue = (buf: Uint8Array): AttributeValue => {
  for (const f of fields(buf)) {
    if (f.number === 1) return text(f.bytes);
    if (f.number === 2) return f.varint !== 0n;
    if (f.number === 3) return Number(BigInt.asIntN(64, f.varint!));
    if (f.number === 4) return f.fixed!.readDoubleLE(0);
    if (f.number === 5) return fields(f.bytes!).filter((v) => v.number === 1).map((v) => anyValue(v.bytes!));
    if (f.number === 6) return keyValues(fields(f.bytes!).filter((v) => v.number === 1).map((v) => v.bytes!));
    if (f.number === 7) return hex(f.bytes) ?? "";
  }
  return null;
};

const keyValues = (list: ReadonlyArray<Uint8Array>): Record<string, AttributeValue> => {
  const out: Record<string, AttributeValue> = {};
  for (const kv of list) {
    const parts = fields(kv);
    const key = text(parts.find((p) => p.number === 1)?.bytes);
    const value = parts.find((p) => p.number === 2)?.bytes;
    out[key] = value ? anyValue(value) : null;
  }
  return out;
};

const repeated = (parts: ReadonlyArray<Field>, number: number) => parts.filter((p) => p.number === number).map((p) => p.bytes!);

/** ExportTraceServiceRequest (opentelemetry/proto/collector/trace/v1) → spans. */
export const decodeTraceRequestProtobuf = (buf: Uint8Array): ReceivedSpan[] => {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of repeated(fields(buf), 1)) {
    const rs = fields(resourceSpans);
    const resourceBytes = rs.find((p) => p.number === 1)?.bytes;
    const resource = resourceBytes ? keyValues(repeated(fields(resourceBytes), 1)) : {};
    for (const scopeSpans of repeated(rs, 2)) {
      const ss = fields(scopeSpans);
      const scopeBytes = ss.find((p) => p.number === 1)?.bytes;
      const scope = scopeBytes ? text(fields(scopeBytes).find((p) => p.number === 1)?.bytes) : "";
      for (const spanBytes of repeated(ss, 2)) {
        const s = fields(spanBytes);
        const statusBytes = s.find((p) => p.number === 15)?.bytes;
        const status = statusBytes ? fields(statusBytes) : [];
        spans.push({
          traceId: hex(s.find((p) => p.number === 1)?.bytes) ?? "",
          spanId: hex(s.find((p) => p.number === 2)?.bytes) ?? "",
          parentSpanId: hex(s.find((p) => p.number === 4)?.bytes),
          name: text(s.find((p) => p.number === 5)?.bytes),
          kind: Number(s.find((p) => p.number === 6)?.varint ?? 0n),
          startNanos: s.find((p) => p.number === 7)?.fixed?.readBigUInt64LE(0) ?? 0n,
          endNanos: s.find((p) => p.number === 8)?.fixed?.readBigUInt64LE(0) ?? 0n,
          attributes: keyValues(repeated(s, 9)),
          statusMessage: text(status.find((p) => p.number === 2)?.bytes),
          statusCode: Number(status.find((p) => p.number === 3)?.varint ?? 0n),
          scope,
          resource,
        });
      }
    }
  }
  return spans;
};

// ---------------------------------------------------------------- JSON encoding

type JsonAny = { stringValue?: string; boolValue?: boolean; intValue?: string | number; doubleValue?: number; arrayValue?: { values?: JsonAny[] }; kvlistValue?: { values?: JsonKv[] }; bytesValue?: string };
type JsonKv = { key: string; value?: JsonAny };

const jsonAny = (value: JsonAny | undefined): AttributeValue => {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(jsonAny);
  if (value.kvlistValue) return jsonKvs(value.kvlistValue.values ?? []);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
};
const jsonKvs = (list: ReadonlyArray<JsonKv>): Record<string, AttributeValue> => Object.fromEntries(list.map((kv) => [kv.key, jsonAny(kv.value)]));

/** The JSON encoding of the same request (ids as hex strings, kinds as numbers). */
export const decodeTraceRequestJson = (body: string): ReceivedSpan[] => {
  const request = JSON.parse(body) as {
    resourceSpans?: Array<{
      resource?: { attributes?: JsonKv[] };
      scopeSpans?: Array<{ scope?: { name?: string }; spans?: Array<Record<string, unknown>> }>;
    }>;
  };
  const spans: ReceivedSpan[] = [];
  for (const rs of request.resourceSpans ?? []) {
    const resource = jsonKvs(rs.resource?.attributes ?? []);
    for (const ss of rs.scopeSpans ?? [])
      for (const span of ss.spans ?? []) {
        const status = (span.status ?? {}) as { code?: number; message?: string };
        spans.push({
          traceId: String(span.traceId ?? ""),
          spanId: String(span.spanId ?? ""),
          parentSpanId: span.parentSpanId ? String(span.parentSpanId) : undefined,
          name: String(span.name ?? ""),
          kind: Number(span.kind ?? 0),
          startNanos: BigInt(String(span.startTimeUnixNano ?? 0)),
          endNanos: BigInt(String(span.endTimeUnixNano ?? 0)),
          attributes: jsonKvs((span.attributes as JsonKv[] | undefined) ?? []),
          statusCode: Number(status.code ?? 0),
          statusMessage: status.message ?? "",
          scope: ss.scope?.name ?? "",
          resource,
        });
      }
  }
  return spans;
};

// ---------------------------------------------------------------- the receiver

export interface OtlpReceiver {
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Content types of the trace requests received. */
  readonly contentTypes: Set<string>;
  readonly metricRequests: number;
  readonly close: () => Promise<void>;
}

export const startOtlpReceiver = async (): Promise<OtlpReceiver> => {
  const spans: ReceivedSpan[] = [];
  const contentTypes = new Set<string>();
  let metricRequests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const type = String(req.headers["content-type"] ?? "").split(";")[0]!.trim();
      try {
        if (req.url === "/v1/traces") {
          contentTypes.add(type);
          spans.push(...(type === "application/json" ? decodeTraceRequestJson(body.toString("utf8")) : decodeTraceRequestProtobuf(body)));
        } else if (req.url === "/v1/metrics") metricRequests += 1;
        else {
          res.writeHead(404).end();
          return;
        }
        // An empty ExportTraceServiceResponse means everything was accepted.
        if (type === "application/json") res.writeHead(200, { "content-type": "application/json" }).end("{}");
        else res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    get metricRequests() {
      return metricRequests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
