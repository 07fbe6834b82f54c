/**
 * `npm run bench:ocr`: generates the synthetic set (bench/ocr/synthesize.ts, into a temp dir, not
 * committed), reads every photo with the real reader (one tesseract worker, as the layer runs it),
 * and writes bench/ocr/results.json: exact-plate accuracy overall, on clean crops and per
 * distortion class, per-image latency (p50/p95/max), the worker's start time, the machine and its
 * load, and every miss. The first full measurement is kept in `firstMeasurement`.
 * Options: --per-class N (default 25 → 225 photos), --keep DIR (also write the images there).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { PLATE_CONFIDENCE_MIN, readPlate, startTesseract } from "../../workers/fines/ocr/plate-reader.ts";
import { DISTORTIONS, synthesizeSet, writeSamples } from "./synthesize.ts";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const perClass = Number(arg("--per-class") ?? 25);
const only = arg("--only");
const out = join(import.meta.dirname, "results.json");

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ratio = (a: number, b: number) => (b === 0 ? null : Number((a / b).toFixed(4)));

const genStart = performance.now();
const samples = (await synthesizeSet(perClass)).filter((s) => only === undefined || s.distortion === only);
const generateMs = Math.round(performance.now() - genStart);
const dir = arg("--keep") ?? mkdtempSync(join(tmpdir(), "ocr-bench-"));
writeSamples(dir, samples);

const loadBefore = loadavg();
const t0 = performance.now();
const worker = await startTesseract();
const workerStartMs = Math.round(performance.now() - t0);

const rows: Array<{ id: string; distortion: string; expected: string; read: string | null; confidence: number; ms: number }> = [];
for (const s of samples) {
  const t = performance.now();
  const r = await readPlate(worker, s.image);
  const ms = Math.round(performance.now() - t);
  rows.push({ id: s.id, distortion: s.distortion, expected: s.plate, read: "error" in r ? `error: ${r.error}` : r.plate, confidence: "error" in r ? 0 : r.confidence, ms });
}
await worker.terminate();
const loadAfter = loadavg();
if (arg("--keep") === undefined) rmSync(dir, { recursive: true, force: true });

const exact = (rs: typeof rows) => rs.filter((r) => r.read === r.expected).length;
const ms = rows.map((r) => r.ms);
const right = rows.filter((r) => r.read === r.expected);
const wrong = rows.filter((r) => r.read !== r.expected);
const measurement = {
  at: new Date().toISOString(),
  photos: rows.length,
  exact: exact(rows),
  exactRate: ratio(exact(rows), rows.length),
  cleanCrops: { photos: rows.filter((r) => r.distortion === "clean").length, exactRate: ratio(exact(rows.filter((r) => r.distortion === "clean")), rows.filter((r) => r.distortion === "clean").length) },
  perDistortion: Object.fromEntries(
    DISTORTIONS.map((d) => {
      const rs = rows.filter((r) => r.distortion === d);
      return [d, { photos: rs.length, exact: exact(rs), exactRate: ratio(exact(rs), rs.length) }];
    }),
  ),
  latencyMs: { p50: pct(ms, 50), p95: pct(ms, 95), max: Math.max(...ms) },
  workerStartMs,
  confidence: {
    threshold: PLATE_CONFIDENCE_MIN,
    correctBelowThreshold: right.filter((r) => r.confidence < PLATE_CONFIDENCE_MIN).length,
    wrongAtOrAboveThreshold: wrong.filter((r) => r.read !== null && r.confidence >= PLATE_CONFIDENCE_MIN).length,
    wrongOrNullBelowThreshold: wrong.filter((r) => r.read === null || r.confidence < PLATE_CONFIDENCE_MIN).length,
  },
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageBefore: loadBefore.map((x) => Number(x.toFixed(2))), loadAverageAfter: loadAfter.map((x) => Number(x.toFixed(2))) },
  generateMs,
  misses: wrong.map(({ id, distortion, expected, read, confidence }) => ({ id, distortion, expected, read, confidence })),
};
const previous = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as { firstMeasurement?: unknown }) : {};
const full = only === undefined && perClass >= 25;
const firstMeasurement = previous.firstMeasurement ?? (full ? measurement : undefined);
if (full) writeFileSync(out, `${JSON.stringify({ note: "Synthetic photos only (bench/ocr/synthesize.ts); no real-world photos were available.", ...measurement, firstMeasurement }, null, 2)}\n`);
const { misses, ...summary } = measurement;
console.log(JSON.stringify(summary, null, 2));
console.log(`misses (${misses.length}):`);
for (const m of misses) console.log(`  ${m.id}: read ${m.read} (${m.confidence})`);
