import { tool } from "ai";
import { Effect } from "effect";
import { KnowledgeSearch } from "../knowledge/knowledge-base/knowledge-search.ts";
import { searchKnowledgeInput, type SearchKnowledgeOutput } from "./contracts.ts";
import { modelSchema } from "./model-schema.ts";
import type { RunTool } from "./run-tool.ts";

export const searchKnowledge = Effect.fnUntraced(function* (query: string) {
  const results = yield* (yield* KnowledgeSearch).search(query);
  const output: SearchKnowledgeOutput = { results };
  return output;
});

export const searchKnowledgeTool = (run: RunTool<KnowledgeSearch>) =>
  tool({
    description:
      "Busca en la base de conocimiento de Kavak (sedes, horarios, garantía, periodo de prueba, financiamiento, documentos, auto a cuenta, vender tu auto, app). Si no devuelve resultados, no sabes la respuesta.",
    inputSchema: modelSchema(searchKnowledgeInput),
    execute: (input) => run(searchKnowledge(input.query)),
  });
