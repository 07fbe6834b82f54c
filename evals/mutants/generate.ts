/**
 * The project's mutant generator: systematic, small regressions over the domain and channel
 * files of every layer, found in the TypeScript syntax tree (not by hand):
 *   relational  a boundary moves: < ↔ <=, > ↔ >=; === ↔ !==
 *   logical     && ↔ ||
 *   arithmetic  a − b → a + b
 *   constant    a number n → n + 1 (0 → 1), true ↔ false
 *   rounding    Math.round / floor / ceil / trunc swapped; toFixed(n) → toFixed(n − 1)
 *   dropped     a call statement removed (a span attribute, a push, a send, a store write)
 *   template    a sentence the user may read: a figure in it changed, or the sentence in English
 * Each file gets a few mutants, spread over the operators it offers, chosen by a fixed hash so
 * the set is stable while the code is. Mutants are computed from the current source at every
 * run, so they never go stale; `npm run eval:mutants -- --list` prints them.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import type { Mutant } from "./mutants.ts";

export type Operator = "relational" | "logical" | "arithmetic" | "constant" | "rounding" | "dropped" | "template";

export interface GeneratedMutant extends Mutant {
  readonly operator: Operator;
  readonly file: string;
  readonly line: number;
  /** The code as it was and as the mutant has it (for the report). */
  readonly original: string;
  readonly mutated: string;
}

/** The domain and channel files mutated, by layer; each layer gets its share. */
export const TARGET_FILES: Readonly<Record<string, ReadonlyArray<string>>> = {
  tools: [
    "tools/search-cars.ts",
    "tools/get-car-details.ts",
    "tools/calculate-financing.ts",
    "tools/calculate-affordable-price.ts",
    "tools/search-knowledge.ts",
    "tools/run-tool.ts",
    "tools/car-card.ts",
    "tools/contracts.ts",
  ],
  knowledge: [
    "knowledge/financing/financing-math.ts",
    "knowledge/financing/financing-service.ts",
    "knowledge/financing/money.ts",
    "knowledge/financing/quote-store.ts",
    "knowledge/catalog/search/text.ts",
    "knowledge/catalog/search/plan.ts",
    "knowledge/catalog/search/nearest.ts",
    "knowledge/catalog/search/filter-columns.ts",
    "knowledge/catalog/search/needs.ts",
    "knowledge/catalog/search/embedded-index.ts",
  ],
  channels: [
    "channels/errors.ts",
    "channels/http/channel.ts",
    "channels/http/conversations-router.ts",
    "channels/http/financing-router.ts",
    "channels/web/channel.ts",
    "channels/web/chat-request.ts",
    "channels/whatsapp/answer.ts",
    "channels/whatsapp/inbound.ts",
    "channels/whatsapp/replies.ts",
    "channels/whatsapp/split-message.ts",
    "channels/whatsapp/twiml.ts",
  ],
  "models/offline": [
    "models/offline/decide.ts",
    "models/offline/dialogue/plan.ts",
    "models/offline/dialogue/search-input.ts",
    "models/offline/nlu/amounts.ts",
    "models/offline/nlu/terms.ts",
    "models/offline/replies/canned.ts",
    "models/offline/replies/cards.ts",
    "models/offline/replies/financing.ts",
    "models/offline/replies/format.ts",
    "models/offline/replies/knowledge.ts",
    "models/offline/replies/search.ts",
  ],
  core: ["core/agent-live.ts", "core/memory.ts", "core/turn.ts", "core/channel.ts"],
};

/**
 * Code the gate cannot run, left out of the generator: the reference filter that only a unit test
 * compares the embedded engine with; the Meilisearch filter (no Meilisearch server here; the gate
 * runs the embedded engine, as every offline install does); the WhatsApp reply recovered after a
 * worker died mid-turn (the gate never kills its process; workers/whatsapp-crash.test.ts does).
 */
export const NOT_RUN_BY_THE_GATE: Readonly<Record<string, ReadonlyArray<string>>> = {
  "knowledge/catalog/search/plan.ts": ["matchesFilters", "meilisearchFilter"],
  "channels/whatsapp/answer.ts": ["recoveredAnswer"],
};

/** Mutants per file (spread over its operators). */
export const PER_FILE = 2;

interface Site {
  readonly operator: Operator;
  readonly start: number;
  readonly end: number;
  readonly replacement: string;
}

const SWAP_RELATIONAL: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.LessThanToken]: "<=",
  [ts.SyntaxKind.LessThanEqualsToken]: "<",
  [ts.SyntaxKind.GreaterThanToken]: ">=",
  [ts.SyntaxKind.GreaterThanEqualsToken]: ">",
  [ts.SyntaxKind.EqualsEqualsEqualsToken]: "!==",
  [ts.SyntaxKind.ExclamationEqualsEqualsToken]: "===",
};

const ROUNDING: Record<string, string> = { "Math.round": "Math.floor", "Math.floor": "Math.ceil", "Math.ceil": "Math.floor", "Math.trunc": "Math.round" };

/** A Spanish sentence someone reads (the customer or the model): three words or more, one of them a Spanish function word. */
const isSentence = (text: string) =>
  /\s/.test(text.trim()) && (text.match(/\p{L}{2,}/gu) ?? []).length >= 3 && /(^|[^\p{L}])(de|la|el|en|que|para|con|tu|te|un|una|los|las|por|no|es|del|al|se|lo)([^\p{L}]|$)/u.test(text);

/** Calls whose arguments are logs, keys or patterns, not behaviour the user sees. */
const IGNORED_CALL = /^(Effect\.log\w*|console\.\w+|describe|it|test|expect)$/;

/** Every place in a source where an operator applies. */
export const mutationSites = (source: string, fileName: string): Site[] => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: Site[] = [];
  const text = (node: ts.Node) => node.getText(file);
  const skipped = new Set(NOT_RUN_BY_THE_GATE[fileName] ?? []);
  const visit = (node: ts.Node, inIgnoredCall: boolean) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && skipped.has(node.name.text)) return;
    if (ts.isFunctionDeclaration(node) && node.name !== undefined && skipped.has(node.name.text)) return;
    let ignored = inIgnoredCall;
    if (ts.isCallExpression(node) && IGNORED_CALL.test(text(node.expression))) ignored = true;
    if (!ignored) {
      if (ts.isBinaryExpression(node)) {
        const kind = node.operatorToken.kind;
        const swap = SWAP_RELATIONAL[kind];
        if (swap !== undefined) sites.push({ operator: "relational", start: node.operatorToken.getStart(file), end: node.operatorToken.getEnd(), replacement: swap });
        if (kind === ts.SyntaxKind.AmpersandAmpersandToken) sites.push({ operator: "logical", start: node.operatorToken.getStart(file), end: node.operatorToken.getEnd(), replacement: "||" });
        if (kind === ts.SyntaxKind.BarBarToken) sites.push({ operator: "logical", start: node.operatorToken.getStart(file), end: node.operatorToken.getEnd(), replacement: "&&" });
        if (kind === ts.SyntaxKind.MinusToken) sites.push({ operator: "arithmetic", start: node.operatorToken.getStart(file), end: node.operatorToken.getEnd(), replacement: "+" });
      }
      if (ts.isNumericLiteral(node) || ts.isBigIntLiteral(node)) {
        const raw = text(node);
        const big = raw.endsWith("n");
        const value = Number(raw.replace(/_/g, "").replace(/n$/, ""));
        if (Number.isFinite(value) && Number.isInteger(value) && !ts.isElementAccessExpression(node.parent))
          sites.push({ operator: "constant", start: node.getStart(file), end: node.getEnd(), replacement: `${value + 1}${big ? "n" : ""}` });
      }
      if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword)
        sites.push({ operator: "constant", start: node.getStart(file), end: node.getEnd(), replacement: node.kind === ts.SyntaxKind.TrueKeyword ? "false" : "true" });
      if (ts.isCallExpression(node)) {
        const callee = text(node.expression);
        const rounding = ROUNDING[callee];
        if (rounding !== undefined) sites.push({ operator: "rounding", start: node.expression.getStart(file), end: node.expression.getEnd(), replacement: rounding });
        if (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "toFixed" && node.arguments.length === 1 && ts.isNumericLiteral(node.arguments[0]!)) {
          const digits = Number(text(node.arguments[0]!));
          if (digits > 0) sites.push({ operator: "rounding", start: node.arguments[0]!.getStart(file), end: node.arguments[0]!.getEnd(), replacement: String(digits - 1) });
        }
      }
      if (ts.isExpressionStatement(node)) {
        let expression: ts.Expression = node.expression;
        if (ts.isYieldExpression(expression) || ts.isAwaitExpression(expression)) expression = expression.expression ?? expression;
        if (ts.isCallExpression(expression) && !IGNORED_CALL.test(text(expression.expression)))
          sites.push({ operator: "dropped", start: node.getStart(file), end: node.getEnd(), replacement: "void 0;" });
      }
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node)) {
        const literal = ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" ") : node.text;
        if (isSentence(literal)) {
          const figure = literal.match(/\d+/);
          if (figure && !ts.isTemplateExpression(node)) {
            const bumped = literal.replace(/\d+/, (d) => String(Number(d) + 1));
            sites.push({ operator: "template", start: node.getStart(file), end: node.getEnd(), replacement: JSON.stringify(bumped) });
          } else sites.push({ operator: "template", start: node.getStart(file), end: node.getEnd(), replacement: JSON.stringify("Sorry, I can't help you with that right now. Please try again later.") });
        }
      }
    }
    ts.forEachChild(node, (child) => visit(child, ignored));
  };
  visit(file, false);
  return sites;
};

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

/** The smallest run of whole lines around [start, end) that occurs once in the source. */
const uniqueWindow = (source: string, start: number, end: number): { from: number; to: number } => {
  let from = source.lastIndexOf("\n", start - 1) + 1;
  let to = source.indexOf("\n", end);
  if (to === -1) to = source.length;
  for (;;) {
    const find = source.slice(from, to);
    if (source.split(find).length - 1 === 1 || (from === 0 && to === source.length)) return { from, to };
    const before = source.lastIndexOf("\n", from - 2);
    if (from > 0) from = before + 1;
    else {
      const after = source.indexOf("\n", to + 1);
      to = after === -1 ? source.length : after;
    }
  }
};

const ORDER: ReadonlyArray<Operator> = ["relational", "constant", "template", "dropped", "rounding", "logical", "arithmetic"];

/** The generated mutants of one file: up to `perFile`, one operator after another. */
export const mutantsOf = (root: string, file: string, perFile = PER_FILE): GeneratedMutant[] => {
  const source = readFileSync(join(root, file), "utf8");
  const byOperator = new Map<Operator, Site[]>();
  for (const site of mutationSites(source, file)) byOperator.set(site.operator, [...(byOperator.get(site.operator) ?? []), site]);
  // Within an operator, sites in a fixed pseudo-random order (by the code they touch, not its position).
  for (const [operator, sites] of byOperator)
    byOperator.set(operator, [...sites].sort((a, b) => hash(`${file}:${operator}:${source.slice(a.start - 40, a.end + 40)}`).localeCompare(hash(`${file}:${operator}:${source.slice(b.start - 40, b.end + 40)}`))));
  // Operators in a per-file rotation, so files do not all start with the same one.
  const start = parseInt(hash(file).slice(0, 8), 16) % ORDER.length;
  const rotation = [...ORDER.slice(start), ...ORDER.slice(0, start)].filter((op) => byOperator.has(op));
  const chosen: Site[] = [];
  for (let round = 0; chosen.length < perFile && rotation.some((op) => (byOperator.get(op)?.length ?? 0) > round); round++)
    for (const op of rotation) {
      const site = byOperator.get(op)![round];
      if (site !== undefined && chosen.length < perFile) chosen.push(site);
    }
  return chosen.map((site) => {
    const { from, to } = uniqueWindow(source, site.start, site.end);
    const find = source.slice(from, to);
    const replace = `${source.slice(from, site.start)}${site.replacement}${source.slice(site.end, to)}`;
    const line = source.slice(0, site.start).split("\n").length;
    const original = source.slice(site.start, site.end);
    const slug = file.replace(/\.ts$/, "").replace(/[^a-z0-9]+/gi, "-");
    return {
      id: `gen-${site.operator}-${slug}-l${line}`,
      regression: `${site.operator} in ${file}:${line}: ${JSON.stringify(original.slice(0, 60))} → ${JSON.stringify(site.replacement.slice(0, 60))}`,
      replacements: [{ file, find, replace }],
      operator: site.operator,
      file,
      line,
      original: original.slice(0, 200),
      mutated: site.replacement.slice(0, 200),
    };
  });
};

/** Every generated mutant of every target file. */
export const generateMutants = (root: string, perFile = PER_FILE): GeneratedMutant[] => {
  const all = Object.values(TARGET_FILES).flatMap((files) => files.flatMap((file) => mutantsOf(root, file, perFile)));
  const seen = new Set<string>();
  return all.filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
};
