/** Replies for car searches: the cards found, or what exists when nothing matched. */
import type { SearchCarsInput, SearchCarsOutput } from "../../../tools/contracts.ts";
import { carList, makeAndModel } from "./cards.ts";
import { listSpanish, pesos } from "./format.ts";
import { pickPhrase } from "./variety.ts";

const describeAsk = (input: SearchCarsInput): string => {
  const parts: string[] = [];
  const model = input.model ?? input.query;
  parts.push(input.make !== undefined && model !== undefined ? makeAndModel(input.make, model) : (input.make ?? model ?? ""));
  return parts.join(" ");
};

const NEXT_STEPS = [
  "¿Te interesa alguno? Dime el número y te doy detalles o te calculo las mensualidades.",
  "¿Cuál te late? Dime el número para ver detalles o calcular tu financiamiento.",
  "Si alguno te gusta, dime su número y te cuento más o te armo el plan de pagos.",
];

export const searchReply = (input: SearchCarsInput, output: SearchCarsOutput, seed: string, more = false, heading?: string): string => {
  const asked = describeAsk(input);
  if (output.cars.length > 0) {
    const startAt = (output.offset ?? 0) + 1;
    const count = output.total > output.cars.length ? `Tengo ${output.total} opciones${asked === "" ? "" : ` de *${asked}*`}; aquí van ${output.cars.length}:` : output.cars.length === 1 ? `Encontré 1 opción${asked === "" ? "" : ` de *${asked}*`}:` : `Encontré ${output.cars.length} opciones${asked === "" ? "" : ` de *${asked}*`}:`;
    const intro = heading ?? (more ? `Aquí tienes más opciones:` : count);
    const remaining = output.total - startAt + 1 - output.cars.length;
    const moreHint = remaining > 0 ? `\n\nHay ${remaining} más; escribe "más" para verlas.` : "";
    return `${intro}\n\n${carList(output.cars, startAt)}${moreHint}\n\n${pickPhrase(seed, "search-next", NEXT_STEPS)}`;
  }
  if (more || heading !== undefined) return "Ya no tengo más opciones con esos filtros. ¿Quieres que cambiemos el presupuesto, el año o el tipo de auto?";
  const lines = [`No encontré${asked === "" ? " autos" : ` *${asked}*`} con esos filtros.`];
  if (output.nearest.length > 0) lines.push("", "Lo más parecido que tengo:", "", carList(output.nearest.slice(0, 3)));
  const { facets } = output;
  if (output.nearest.length === 0 && facets.makes.length > 0) lines.push("", `${facets.makes.length > 8 ? "Algunas de las marcas que tenemos" : "Marcas disponibles"}: ${listSpanish(facets.makes.slice(0, 8).map((m) => m.make))}.`);
  if (facets.price !== null && output.nearest.length === 0) lines.push(`Precios desde ${pesos(facets.price.min)} hasta ${pesos(facets.price.max)}.`);
  lines.push("", "¿Quieres que ajustemos la búsqueda (precio, año o tipo de auto)?");
  return lines.join("\n");
};
