/**
 * The Spanish message a fines check is answered with when it arrives after the turn (WhatsApp,
 * the conversation's history). Every amount comes from the registry's result. Pure.
 */
import type { StoredCheck } from "../../knowledge/fines/checks.ts";
import { centsToDecimal } from "../../knowledge/fines/money.ts";
import { displayPlate } from "../../knowledge/fines/plates.ts";

/** 108570 → "$1,085.70". */
export const pesosWithCents = (cents: number): string => {
  const [int, frac] = centsToDecimal(cents).split(".");
  return `$${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
};

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

export const REGISTRY_APOLOGY =
  "Una disculpa 🙏 En este momento no pude consultar el sistema de multas. ¿Lo intentamos de nuevo en un rato? Si prefieres, un asesor de Kavak te puede ayudar.";

export const finesAnswerText = (check: StoredCheck): string => {
  switch (check.status) {
    case "pending":
      return "Sigo consultando las multas; te aviso en cuanto tenga el resultado.";
    case "failed":
      return REGISTRY_APOLOGY;
    case "unreadable":
      return "No alcancé a leer la placa en la foto 📷 ¿Me la escribes? Por ejemplo: ABC-123-D.";
    case "unsure":
      return `En la foto leo la placa *${displayPlate(check.plate ?? "")}*, pero no estoy seguro. ¿Es correcta? Escríbemela y reviso sus multas.`;
    case "done": {
      const result = check.result!;
      const plate = displayPlate(result.plate);
      if (result.fines.length === 0) return `Listo ✅ Revisé la placa *${plate}* y no tiene multas pendientes.`;
      const lines = result.fines.map((f, i) => `${i + 1}. ${f.description}: ${pesosWithCents(f.amountCents)} (${f.authority}, ${dmy(f.issuedOn)})`);
      const count = result.fines.length === 1 ? "1 multa pendiente" : `${result.fines.length} multas pendientes`;
      return `Listo. La placa *${plate}* tiene ${count}:\n\n${lines.join("\n")}\n\n*Total: ${pesosWithCents(result.totalCents)}*`;
    }
  }
};
