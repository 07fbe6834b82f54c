/**
 * Deliberate regressions of the assistant, each a small text replacement in the real source. The
 * golden conversations must fail on every one of them. A replacement that no longer finds its
 * text (the code moved on) stops the run: update the mutant, never skip it.
 */

export interface Replacement {
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

export interface Mutant {
  readonly id: string;
  /** The regression, as a release note would describe it. */
  readonly regression: string;
  readonly replacements: ReadonlyArray<Replacement>;
}

export const MUTANTS: ReadonlyArray<Mutant> = [
  {
    id: "wrong-interest-rate",
    regression: "Financing computed at 12% a year instead of the fixed 10%",
    replacements: [{ file: "knowledge/financing/financing-math.ts", find: "export const ANNUAL_RATE_PERCENT = 10;", replace: "export const ANNUAL_RATE_PERCENT = 12;" }],
  },
  {
    id: "dropped-tool",
    regression: "The search_knowledge tool is no longer offered to the model",
    replacements: [{ file: "tools/toolkit.ts", find: "[TOOL_NAMES.searchKnowledge]: searchKnowledgeTool(run),", replace: '["dropped_" + TOOL_NAMES.searchKnowledge]: searchKnowledgeTool(run),' }],
  },
  {
    id: "tool-result-ignored",
    regression: "The model ignores what search_cars returned and answers as if nothing matched",
    replacements: [
      {
        file: "models/offline/dialogue/plan.ts",
        find: "const output = asSearchOutput(exchange.outcome.value);",
        replace: "const output = asSearchOutput({ total: 0, offset: 0, cars: [], nearest: [], facets: { makes: [], price: null, year: null } });",
      },
    ],
  },
  {
    id: "invented-price",
    regression: "Car cards show a price $1,000 below the catalog's (an invented discount)",
    replacements: [{ file: "models/offline/replies/cards.ts", find: "`${pesos(car.price)} · ${kilometres(car.km)}", replace: "`${pesos(car.price - 1000)} · ${kilometres(car.km)}" }],
  },
  {
    id: "english-reply",
    regression: "Replies open with an English sentence",
    replacements: [
      {
        file: "models/offline/language-model.ts",
        find: "const text = fitMessage(action.text);",
        replace: "const text = fitMessage(`Sure! Here is what I found for you, take a look:\\n${action.text}`);",
      },
    ],
  },
  {
    id: "over-long-reply",
    regression: "Knowledge answers put every matching section in full and the 1,600-character cap is gone",
    replacements: [
      { file: "knowledge/knowledge-base/retrieval.ts", find: "limit: 3,", replace: "limit: 10," },
      { file: "models/offline/replies/knowledge.ts", find: "const MAX_TOTAL = 1000;", replace: "const MAX_TOTAL = 20_000;" },
      { file: "models/offline/replies/knowledge.ts", find: "const CLOSE_SCORE = 0.9;", replace: "const CLOSE_SCORE = 0;" },
      { file: "models/offline/replies/format.ts", find: "export const fitMessage = (text: string, max = 1600)", replace: "export const fitMessage = (text: string, max = 100_000)" },
    ],
  },
  {
    id: "fact-outside-knowledge-base",
    regression: "Knowledge answers add a claim that is not in the knowledge base (a 240-point inspection)",
    replacements: [
      {
        file: "models/offline/replies/knowledge.ts",
        find: 'return parts.join("\\n\\n");',
        replace: 'return [...parts, "Además, todos nuestros autos pasan una inspección de 240 puntos."].join("\\n\\n");',
      },
    ],
  },
  {
    id: "broken-references",
    regression: '"el segundo" resolves to the first car shown',
    replacements: [{ file: "models/offline/nlu/references.ts", find: "[/\\b(?:segundo|segunda|2do|2da)\\b/, 2],", replace: "[/\\b(?:segundo|segunda|2do|2da)\\b/, 1]," }],
  },
  {
    id: "cancel-ignored",
    regression: '"cancelar" / "empezar de nuevo" no longer end the current flow',
    replacements: [{ file: "models/offline/nlu/chat-cues.ts", find: "export const CANCEL =", replace: "export const CANCEL = /(?!)/; // never matches\nconst CANCEL_UNUSED =" }],
  },
  {
    id: "financing-24-months-accepted",
    regression: "A 24-month term is accepted",
    replacements: [{ file: "knowledge/financing/financing-math.ts", find: "export const ALLOWED_TERMS = [36, 48, 60, 72] as const;", replace: "export const ALLOWED_TERMS = [24, 36, 48, 60, 72] as const;" }],
  },
  {
    id: "typo-tolerance-off",
    regression: "Typos are no longer tolerated, in the model's reading nor in the catalog search",
    replacements: [
      {
        file: "models/offline/nlu/fuzzy.ts",
        find: "export const allowedEdits = (length: number): number => (length < 4 ? 0 : length < 7 ? 1 : 2);",
        replace: "export const allowedEdits = (_length: number): number => 0;",
      },
      { file: "knowledge/catalog/search/text.ts", find: "  if (/\\d/.test(term)) return 0;", replace: "  if (/\\d/.test(term) || term.length > 0) return 0;" },
    ],
  },
  {
    id: "memory-lost",
    regression: "Each turn starts without the conversation's earlier messages",
    replacements: [{ file: "core/agent-live.ts", find: "store.recentContent(input.conversationId, MEMORY_WINDOW)", replace: "store.recentContent(input.conversationId, 0)" }],
  },
  {
    id: "internal-id-shown",
    regression: "Car cards show the internal stock id",
    replacements: [{ file: "models/offline/replies/cards.ts", find: "return [head, car.version,", replace: "return [`${head} (inventario ${car.stockId})`, car.version," }],
  },
  {
    id: "wrong-car-year",
    regression: "Car titles show the model year plus one (a car the catalog does not have)",
    replacements: [{ file: "models/offline/replies/cards.ts", find: "`${makeAndModel(car.make, car.model)} ${car.year}`", replace: "`${makeAndModel(car.make, car.model)} ${car.year + 1}`" }],
  },
  {
    id: "guesses-when-unknown",
    regression: "When the knowledge base has nothing, the assistant guesses (opening hours, delivery time) instead of abstaining",
    replacements: [
      {
        file: "models/offline/replies/knowledge.ts",
        find: '"Esa información no la tengo y prefiero no darte un dato incorrecto. Si quieres, te pongo en contacto con un asesor de Kavak que te lo confirme.",',
        replace: '"Claro: abrimos todos los días de 9:00 a 20:00 y te entregamos tu auto en 3 días.",',
      },
      {
        file: "models/offline/replies/knowledge.ts",
        find: '"Uy, de eso no tengo información confiable 🙏 Un asesor de Kavak te lo puede confirmar; ¿quieres que te canalice?",',
        replace: '"¡Sí! Abrimos de lunes a domingo de 9:00 a 20:00 y la entrega es en 3 días.",',
      },
    ],
  },
  {
    id: "paging-crashes",
    regression: "search_cars throws when asked for a next page (the turn degrades, an error span appears)",
    replacements: [
      {
        file: "tools/search-cars.ts",
        find: "const catalog = yield* CatalogSearch;",
        replace: 'const catalog = yield* CatalogSearch;\n  if ((input.offset ?? 0) > 0) throw new Error("paging index unavailable");',
      },
    ],
  },
  {
    id: "slow-details",
    regression: "get_car_details takes 6 seconds (over the 5-second turn budget of the offline model)",
    replacements: [
      {
        file: "tools/get-car-details.ts",
        find: "execute: (input) => run(getCarDetails(input)),",
        replace: "execute: (input) => new Promise((wait) => setTimeout(wait, 6000)).then(() => run(getCarDetails(input))),",
      },
    ],
  },
];
