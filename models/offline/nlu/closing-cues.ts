/**
 * Cues of closing a sale: asking for a human advisor, booking a visit or test drive, "lo quiero",
 * moving or cancelling an appointment, a rating. On normalised text (normalize.ts).
 */

/** "canalízame con un asesor", "que me llame un asesor", "quiero hablar con alguien". */
export const ADVISOR_REQUEST =
  /\b(?:(?:canaliza|canalice|comunica|comuniq|contacta|conecta|transfier|pasa|pase|pon|comunicar|contactar|hablar|platicar|hable|hablen|llame|llamen|marque|marquen|contacte|contacten|atienda|atiendan)\w*\b(?:\s+\w+){0,4}\s+(?:asesor|asesora|ejecutivo|ejecutiva|vendedor|vendedora|agente|persona|humano|alguien)|(?:quiero|necesito|me das|dame|pasame|mandame|quisiera)\s+(?:un |una |a un |a una |con un |con una )?(?:asesor|asesora|ejecutivo|ejecutiva|vendedor|vendedora|agente|humano)|(?:que|me) (?:me )?(?:llame|llamen|marque|marquen|contacte|contacten)|(?:llamenme|marquenme|contactenme|llamame|marcame|contactame)|(?:me|nos) (?:puede|pueden|podria|podrian|podra|podran) (?:llamar|marcar|contactar|atender|hablar)|\bcon (?:un |una |algun |alguna )?(?:asesor|asesora|ejecutivo|ejecutiva|vendedor|vendedora|humano|persona real)|(?:persona real|asesor humano|atencion humana|un humano))\b/;

/** Words of a complaint. */
export const COMPLAINT = /\b(?:queja|quejarme|reclamo|reclamar|reclamacion|inconformidad|molest[oa]|pesimo|mal servicio|me robaron|fraude|estafa)\b/;
export const TRADE_IN = /\b(?:a cuenta|mi auto|mi carro|mi coche|mi camioneta|vender mi|dejar mi)\b/;
export const FINANCING_WORDS = /\b(?:financ\w*|credito|mensualidad\w*|enganche)\b/;

/** "quiero agendar una cita", "¿puedo hacer una prueba de manejo?", "quiero ir a verlo". */
export const BOOKING_REQUEST =
  /\b(?:agend\w*|cita|prueba de manejo|probarlo|probarla|manejarlo|manejarla|(?:quiero|quisiera|me gustaria|puedo|podria) (?:ir|pasar|pasarme|darme una vuelta) a (?:verlo|verla|conocerlo|conocerla)|quiero (?:verlo|verla) en persona|test ?drive|(?:una|la|mi) visita)\b/;

/** "lo quiero", "¿cómo lo compro?", "¿qué sigue?", "quiero apartarlo". */
export const NEXT_STEP =
  /\b(?:lo quiero|la quiero|me lo llevo|me la llevo|me interesa comprarl[oa]|quiero comprarl[oa]|como (?:lo|la) compro|como (?:le )?hago para comprarl[oa]|(?<!\b(?:el|la) )que sigue|cual es el siguiente paso|siguiente paso|apartarl[oa]|apartar|reservarl[oa]|reservar)\b/;

export const TEST_DRIVE = /\b(?:prueba de manejo|probarl[oa]|manejarl[oa]|manejo|test ?drive|prueba)\b/;
export const VISIT = /\b(?:visita|verl[oa]|conocerl[oa]|ir a ver|pasar a ver|darme una vuelta)\b/;

export const CANCEL_APPOINTMENT = /\b(?:cancel\w*|ya no (?:voy a ir|puedo ir|podre ir|ire))\b/;
export const MOVE_APPOINTMENT = /\b(?:mueve\w*|mover\w*|muevela|cambia\w*|reagend\w*|recorre\w*|pasala|pasarla|otro dia|otra hora|otro horario|mejor (?:el|la|a las|manana|hoy|pasado))\b/;
export const ABOUT_APPOINTMENT = /\b(?:cita|visita|prueba(?: de manejo)?)\b/;
export const CONSULT_APPOINTMENT = /\b(?:cuando|a que hora|que dia|donde) (?:es|era|quedo|sera) (?:mi|la) (?:cita|visita|prueba)\b|\b(?:sigue en pie|esta confirmada) (?:mi|la) (?:cita|visita|prueba)\b/;

/** "5", "un 4", "le doy 5 estrellas", "cinco". The rating and what else was said. */
export const readRating = (text: string): { rating: number; comment: string | undefined } | undefined => {
  const words: Record<string, number> = { uno: 1, un: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5 };
  const m = text.match(/^(?:(?:te|le) (?:doy|pongo) |un |una |calificacion |mi calificacion es |)(?:un )?([1-5]|uno|dos|tres|cuatro|cinco)(?: (?:estrellas?|de 5|de cinco))?\b[\s,.!-]*(.*)$/);
  if (!m) return undefined;
  const rating = /^\d$/.test(m[1]!) ? Number(m[1]) : words[m[1]!]!;
  const comment = m[2]!.trim();
  return { rating, comment: comment === "" ? undefined : comment };
};
