/**
 * Wording the gate cannot reach through conversations: every text the assistant may say or read
 * that is written in the code. The string literals of the reply templates (including phrase
 * variants no golden conversation's seed happens to pick), the channel's own replies, the domain
 * errors relayed to customers, the widget's messages, the agent's instructions, and each tool's
 * description and input schema as the model reads them. Each must be Spanish, state only the
 * knowledge base's policy figures (policy.ts) and none of the known false claims.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { checkFalseClaims, checkSpanish } from "./invariants.ts";
import { checkPolicy } from "./policy.ts";

const ROOT = resolve(import.meta.dirname, "..");

/** Files whose string literals are (or become) what a customer reads or the model is told. */
export const WORDING_FILES: ReadonlyArray<string> = [
  "models/offline/replies/canned.ts",
  "models/offline/replies/car-question.ts",
  "models/offline/replies/cards.ts",
  "models/offline/replies/financing.ts",
  "models/offline/replies/format.ts",
  "models/offline/replies/knowledge.ts",
  "models/offline/replies/search.ts",
  "models/offline/dialogue/plan.ts",
  "channels/whatsapp/replies.ts",
  "channels/web/widget/widget.js",
  "tools/run-tool.ts",
  "knowledge/financing/financing-math.ts",
  "knowledge/financing/financing-service.ts",
  "app/sales-agent.ts",
  "models/offline/replies/closing.ts",
  "knowledge/appointments/appointment-book.ts",
  "tools/request-advisor.ts",
  "workers/reminders.ts",
];

export interface Literal {
  readonly line: number;
  /** The literal's text; a template's expressions read as "…". */
  readonly text: string;
}

/** Calls whose string arguments are logs or code, not wording. */
const NOT_WORDING_CALLS = /^(Effect\.log\w*|console\.\w+|new RegExp|RegExp|require|import|querySelector\w*|setAttribute|getAttribute|addEventListener|createElement|get|set|has|startsWith|endsWith|includes|split|replace|replaceAll|match|test|JSON\.parse|fetch|postMessage|el)$/;

/** The string literals of a TypeScript or JavaScript source, with their line numbers. */
export const stringLiterals = (source: string, fileName: string): Literal[] => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const literals: Literal[] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isLiteralTypeNode(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression.getText(file).replace(/^.*\.(?=\w+$)/, (m) => (/^(Effect|console)\.$/.test(m) ? m : ""));
      if (NOT_WORDING_CALLS.test(callee) || NOT_WORDING_CALLS.test(node.expression.getText(file))) return;
    }
    if (ts.isElementAccessExpression(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.push({ line: lineOf(node), text: node.text });
    else if (ts.isTemplateExpression(node)) {
      literals.push({ line: lineOf(node), text: [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join("…") });
      for (const span of node.templateSpans) visit(span.expression);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return literals;
};

/** Wording: at least three words and a space (identifiers, keys, CSS and format strings are not). */
const isWording = (text: string) => /\s/.test(text.trim()) && (text.match(/\p{L}{2,}/gu) ?? []).length >= 3 && !/^[\s\w.#:;,()%-]*\{[\s\S]*\}\s*$/.test(text);

/** Everything wrong with one piece of wording. */
export const checkWording = (text: string): string[] => [
  // A fragment may hold no Spanish word ("Medidas: … mm"); English in it is what counts.
  ...checkSpanish(text).filter((v) => !v.detail.startsWith("no Spanish words")).map((v) => v.detail),
  ...checkFalseClaims(text).map((v) => v.detail),
  ...checkPolicy(text).map((p) => `states ${p}`),
];

/** The problems of every wording literal of a file. */
export const checkWordingFile = (file: string): string[] => {
  const source = readFileSync(join(ROOT, file), "utf8");
  return stringLiterals(source, file)
    .filter((literal) => isWording(literal.text))
    .flatMap((literal) => checkWording(literal.text).map((problem) => `${file}:${literal.line} ${problem}: ${JSON.stringify(literal.text.slice(0, 100))}`));
};

/** What the model reads of a tool: its description and every description in its input schema. */
export const toolTexts = (description: string, schema: unknown): string[] => {
  const texts = [description];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object")
      for (const [key, item] of Object.entries(value)) {
        if (key === "description" && typeof item === "string") texts.push(item);
        else walk(item);
      }
  };
  walk(schema);
  return texts.filter((t) => t.trim() !== "");
};
