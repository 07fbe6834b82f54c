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
      { file: "models/offline/replies/knowledge.ts", find: "const MAX_SECTIONS = 2;", replace: "const MAX_SECTIONS = 100;" },
      { file: "knowledge/knowledge-base/knowledge-search.ts", find: "Effect.map(({ answer }) =>\n            answer.slice(", replace: "Effect.map(({ ranked: answer }) =>\n            answer.slice(" },
      { file: "models/offline/replies/format.ts", find: "export const fitMessage = (text: string, max = 1600)", replace: "export const fitMessage = (text: string, max = 100_000)" },
    ],
  },
  {
    id: "fact-outside-knowledge-base",
    regression: "Knowledge answers add a claim that is not in the knowledge base (a 240-point inspection)",
    replacements: [
      {
        file: "models/offline/replies/knowledge.ts",
        find: 'return [lead, ...parts, sourceLine(quoted)].join("\\n\\n");',
        replace: 'return [lead, ...parts, "Además, todos nuestros autos pasan una inspección de 240 puntos.", sourceLine(quoted)].join("\\n\\n");',
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
  // ---- Issue 15: the classes of regression the gate missed before (boundaries, stored results,
  // channels, traces, failures, wording, tool level), written as a reviewer would inject them.
  {
    id: "down-payment-equal-to-price-accepted",
    regression: "A down payment equal to the price is accepted (nothing left to finance)",
    replacements: [{ file: "knowledge/financing/financing-math.ts", find: "if (downPayment >= price) return", replace: "if (downPayment > price) return" }],
  },
  {
    id: "price-ceiling-exclusive",
    regression: "A car priced exactly at the search's price ceiling is left out",
    replacements: [{ file: "knowledge/catalog/search/filter-columns.ts", find: "price[slot]! <= maxPrice &&", replace: "price[slot]! < maxPrice &&" }],
  },
  {
    id: "fractional-percent-truncated",
    regression: "A down-payment percentage with decimals (12.5%) loses its decimals",
    replacements: [{ file: "knowledge/financing/financing-service.ts", find: "const basisPoints = Math.round(percent * 100);", replace: "const basisPoints = Math.trunc(percent) * 100;" }],
  },
  {
    id: "schedule-last-row-not-closing",
    regression: "The last row of an amortisation schedule pays the regular payment, leaving a balance",
    replacements: [{ file: "knowledge/financing/financing-math.ts", find: "const principal = closes ? balance : payment - interest;", replace: "const principal = payment - interest;" }],
  },
  {
    id: "schedule-interest-truncated",
    regression: "Each month's interest in the schedule is truncated instead of rounded half-up",
    replacements: [{ file: "knowledge/financing/financing-math.ts", find: "const interest = divideHalfUp(balance * RATE_NUM, RATE_DEN);", replace: "const interest = (balance * RATE_NUM) / RATE_DEN;" }],
  },
  {
    id: "quote-id-not-fetchable",
    regression: "The quote id returned to the model is not the id stored: it cannot be fetched",
    replacements: [{ file: "knowledge/financing/quote-store.ts", find: "return { ...quote, conversationId: conversationExists ? quote.conversationId : null, id, createdAt", replace: "return { ...quote, conversationId: conversationExists ? quote.conversationId : null, id: `q_${randomUUID()}`, createdAt" }],
  },
  {
    id: "whatsapp-reply-cut-short",
    regression: "A WhatsApp reply longer than one message is delivered without its last part",
    replacements: [{ file: "channels/whatsapp/answer.ts", find: "return parts.length > 0 ? parts : [REPLIES.agentFailed];", replace: "return parts.length > 1 ? parts.slice(0, -1) : parts.length > 0 ? parts : [REPLIES.agentFailed];" }],
  },
  {
    id: "widget-stream-without-start",
    regression: "The widget's UI message stream no longer opens with its start chunk",
    replacements: [{ file: "core/agent-live.ts", find: "streaming.toUIMessageStream().tee()", replace: "streaming.toUIMessageStream({ sendStart: false }).tee()" }],
  },
  {
    id: "tool-span-vanishes",
    regression: "The catalog search runs untraced: search_cars's search span disappears from every trace",
    replacements: [{ file: "knowledge/catalog/search/catalog-search.ts", find: 'Effect.fn("catalog_search.search")(function* (query: CarSearchQuery) {', replace: "Effect.fnUntraced(function* (query: CarSearchQuery) {" }],
  },
  {
    id: "failing-search-reads-as-no-results",
    regression: "A failing catalog search is turned into an empty result (\"No encontré…\")",
    replacements: [
      {
        file: "tools/search-cars.ts",
        find: "const result = yield* catalog.search({ ...filters, ...(query ? { text: query } : {}), limit: input.limit ?? 5 });",
        replace:
          "const result = yield* catalog.search({ ...filters, ...(query ? { text: query } : {}), limit: input.limit ?? 5 }).pipe(Effect.orElseSucceed(() => ({ total: 0, cars: [], nearest: [], facets: { makes: [], price: null, year: null } })));",
      },
    ],
  },
  {
    id: "failing-store-reads-as-not-in-stock",
    regression: "A failing car store reads as \"that car is no longer in stock\"",
    replacements: [{ file: "tools/get-car-details.ts", find: "const car = yield* (yield* CarStore).get(stockId);", replace: "const car = yield* (yield* CarStore).get(stockId).pipe(Effect.orElseSucceed(() => undefined));" }],
  },
  {
    id: "invented-warranty-in-template",
    regression: "The help text invents a warranty length (6 months)",
    replacements: [{ file: "models/offline/replies/canned.ts", find: '"❓ Resolver dudas sobre Kavak (garantía, sedes, proceso de compra)",', replace: '"❓ Resolver dudas sobre Kavak (garantía de 6 meses, sedes, proceso de compra)",' }],
  },
  {
    id: "tool-description-offers-24-months",
    regression: "The financing tool's description offers 24-month terms, which do not exist",
    replacements: [{ file: "tools/calculate-financing.ts", find: "plazos de 36, 48, 60 o 72 meses", replace: "plazos de 24, 36, 48, 60 o 72 meses" }],
  },
  {
    id: "english-on-unreached-path",
    regression: "One of the thank-you phrases, one no golden conversation's seed picks, is English",
    replacements: [{ file: "models/offline/replies/canned.ts", find: '"¡A ti! Si quieres ver más autos o calcular otro plan, aquí sigo."', replace: '"You are welcome! If you want to see more cars or another plan, I am here."' }],
  },
  {
    id: "unsure-plate-looked-up",
    regression: "A plate read from a blurred photo without confidence is looked up at once, without asking the customer (a misread shows a stranger's fines)",
    replacements: [{ file: "workers/fines/fines-worker.ts", find: "if (confidence < PLATE_CONFIDENCE_MIN) return { status: \"unsure\"", replace: "if (confidence < 0) return { status: \"unsure\"" }],
  },
  {
    id: "index-typo-tolerance-off",
    regression: "The search index stops tolerating typos (the built-in model's own spelling correction hides it)",
    replacements: [{ file: "knowledge/catalog/search/text.ts", find: "  if (term.length <= 6) return 1;\n  return 2;", replace: "  if (term.length <= 6) return 0;\n  return 0;" }],
  },
];
