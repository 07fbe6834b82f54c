/** Replies that close a sale: hand-off to an advisor, appointments, the satisfaction question. */
import type { AppointmentView } from "../../../tools/closing-contracts.ts";

/** Every satisfaction question contains this: the model asks it once per conversation. */
export const CSAT_MARKER = "del 1 al 5";
export const CSAT_QUESTION = `¿Cómo calificarías mi ayuda ${CSAT_MARKER}? Si quieres, agrega un comentario.`;

const kindLabel = (kind: AppointmentView["kind"]): string => (kind === "prueba_de_manejo" ? "prueba de manejo" : "visita");

export const askPhone = (): string => "¡Claro! Con gusto te canalizo con un asesor de Kavak. ¿A qué número te puede llamar? (10 dígitos)";
export const askPhoneAgain = (): string => "Ese número no parece de 10 dígitos. ¿Me lo compartes de nuevo?";
export const askConsent = (typed: string | undefined): string =>
  typed === undefined
    ? "¡Claro! ¿Me autorizas a compartir este número de WhatsApp con un asesor de Kavak para que te contacte?"
    : `¿Me autorizas a compartir el ${typed} con un asesor de Kavak para que te contacte?`;
export const askCallTime = (): string => 'Perfecto. ¿En qué horario prefieres que te llamen? (por ejemplo, "mañana en la tarde")';
export const consentDenied = (): string => "Entendido, no comparto tu número. Si cambias de opinión, aquí estoy. ¿Te ayudo con algo más?";
export const leadDone = (nextStep: string): string => `¡Listo! ${nextStep}\n\nMientras tanto, ¿te ayudo con algo más?`;

export const offerNextSteps = (car: string | undefined, reserve: boolean): string =>
  `¡Excelente elección${car === undefined ? "" : ` el *${car}*`}! ${reserve ? "Apartar un auto no lo puedo hacer desde aquí. " : ""}El siguiente paso es verlo en persona. Puedo:\n• Agendarte una *visita* o una *prueba de manejo* en una sede de Kavak\n• Pedir que un *asesor* te llame\n\n¿Qué prefieres?`;

export const askKind = (car: string | undefined): string => `¡Claro! ¿Te agendo una *visita* o una *prueba de manejo*${car === undefined ? "" : ` del *${car}*`}?`;
export const askSede = (cities: ReadonlyArray<string>): string =>
  cities.length === 0 ? "¿En qué sede o ciudad te queda mejor?" : `¿En qué sede te queda mejor? Tenemos en ${cities.slice(0, -1).join(", ")} y ${cities.at(-1)!}.`;
export const askWhen = (): string => '¿Qué día y a qué hora te gustaría ir? (por ejemplo, "mañana a las 11")';
export const askNewWhen = (): string => "¿Para qué día y hora la movemos?";

export const refused = (message: string, options: ReadonlyArray<{ label: string }>, sedes: ReadonlyArray<string>): string => {
  if (options.length > 0) return `${message}\n\nHorarios disponibles:\n${options.map((o, i) => `${i + 1}. ${o.label}`).join("\n")}\n\n¿Cuál te acomoda?`;
  if (sedes.length > 0 && !message.includes(sedes[0]!.replace(/ \(.*\)$/, ""))) return `${message}\n${sedes.map((s) => `• ${s}`).join("\n")}`;
  return message;
};

const remindersLine = (view: AppointmentView): string =>
  view.reminders === "whatsapp" ? "Te enviaré un recordatorio por aquí un día antes y 2 horas antes." : "Anótala en tu calendario; por este medio no envío recordatorios.";

const details = (view: AppointmentView): string =>
  `📍 *${view.sede.name}*, ${view.sede.address}\n🗓️ ${view.when}${view.car === null ? "" : `\n🚗 ${view.car}`}`;

export const booked = (view: AppointmentView, askCsat: boolean): string =>
  `✅ ¡Listo! Tu ${kindLabel(view.kind)} quedó *confirmada*:\n${details(view)}\n\n${remindersLine(view)}${askCsat ? `\n\nAntes de irte: ${CSAT_QUESTION}` : ""}`;
export const moved = (view: AppointmentView, previous: string | undefined): string =>
  `✅ Listo, moví tu ${kindLabel(view.kind)}${previous === undefined ? "" : ` (era el ${previous})`}. Queda *confirmada*:\n${details(view)}\n\n${remindersLine(view)}`;
export const cancelled = (view: AppointmentView): string =>
  `Listo, cancelé tu ${kindLabel(view.kind)} del ${view.when} en ${view.sede.name}. Si quieres agendar otra fecha, aquí estoy.`;
export const consulted = (view: AppointmentView): string => `Tu ${kindLabel(view.kind)} está confirmada:\n${details(view)}`;
export const noAppointment = (): string => "No encuentro una cita agendada en esta conversación. ¿Quieres que agendemos una?";

export const csatThanks = (): string => "¡Gracias por tu calificación! 🙌 Nos ayuda a mejorar. Aquí estoy si necesitas algo más.";
export const goodbyeWithCsat = (goodbye: string): string => `${goodbye}\n\nAntes de que te vayas: ${CSAT_QUESTION}`;
