/** Replies that need no tool: greeting, help, thanks, goodbye, declines and nudges. */
import { pickPhrase } from "./variety.ts";

const CAN_DO = [
  "🔎 Buscar autos por marca, modelo, precio, año o tipo (ej. \"SUV familiar de menos de 350 mil\")",
  "💳 Calcular mensualidades con tu enganche y plazo",
  "💰 Decirte qué auto te alcanza según lo que puedes pagar al mes",
  "❓ Resolver dudas sobre Kavak (garantía, sedes, proceso de compra)",
].join("\n");

export const greetingReply = (seed: string): string =>
  `${pickPhrase(seed, "greet", ["¡Hola! 👋 Soy tu asesor de Kavak.", "¡Hola! Qué gusto saludarte 👋 Soy el asesor virtual de Kavak.", "¡Buen día! 👋 Te atiende el asesor de Kavak."])}\n\nTe puedo ayudar a:\n${CAN_DO}\n\n¿Qué auto estás buscando?`;

export const helpReply = (): string => `Claro, te explico en qué te ayudo:\n${CAN_DO}\n\nPor ejemplo: "Busco un Nissan Versa" o "¿Cuánto pagaría al mes con 50 mil de enganche?"`;

export const thanksReply = (seed: string): string =>
  pickPhrase(seed, "thanks", ["¡Con mucho gusto! 😊 ¿Te ayudo con algo más?", "¡Para eso estoy! ¿Hay algo más en lo que te pueda ayudar?", "¡A ti! Si quieres ver más autos o calcular otro plan, aquí sigo."]);

export const goodbyeReply = (seed: string): string =>
  pickPhrase(seed, "bye", ["¡Hasta pronto! 👋 Cuando quieras seguimos buscando tu auto.", "¡Que te vaya muy bien! Aquí estaré cuando quieras retomar.", "¡Nos vemos! Escríbeme cuando quieras."]);

export const offTopicReply = (seed: string): string =>
  `${pickPhrase(seed, "off-topic", ["Eso se sale de lo que puedo ayudarte 🙏", "Me encantaría, pero solo te puedo ayudar con autos de Kavak 🙂", "Ahí no te puedo ayudar, lo mío son los autos 🚗"])} Te puedo buscar un auto, calcular mensualidades o resolver dudas sobre Kavak. ¿Qué auto te interesa?`;

export const injectionReply = (seed: string): string =>
  `${pickPhrase(seed, "injection", ["No puedo cambiar mis instrucciones ni las condiciones de Kavak.", "Eso no lo puedo hacer: sigo las mismas reglas para todos los clientes.", "Lo siento, no puedo modificar mis reglas, precios ni tasas."])} Los precios y el financiamiento salen siempre del sistema. ¿Te ayudo a buscar un auto o a calcular tus mensualidades?`;

export const gibberishReply = (seed: string): string =>
  `${pickPhrase(seed, "nudge", ["No te entendí bien 😅", "Creo que no te entendí 🤔", "Perdón, no logré entenderte 🙏"])} Puedes escribirme, por ejemplo:\n• "Busco un Mazda 3 automático"\n• "SUV de menos de 400 mil"\n• "¿Cuánto pagaría al mes por el Versa?"`;

export const cancelReply = (): string => "Listo, empezamos de nuevo 👍 ¿Qué auto te gustaría buscar?";

export const affirmWithoutContext = (): string => "¡Perfecto! ¿Qué te gustaría hacer: buscar un auto, calcular mensualidades o resolver una duda sobre Kavak?";

export const denyReply = (seed: string): string =>
  pickPhrase(seed, "deny", ["Va, sin problema. ¿Hay algo más en lo que te pueda ayudar?", "Entendido 👍 Si quieres ver otras opciones, aquí estoy."]);

export const askWhichCar = (hasShown: boolean): string =>
  hasShown ? "¿De cuál auto? Dime el número de la lista o el modelo." : "¿De qué auto te gustaría saber más? Dime la marca y el modelo.";

export const askWhatToSearch = (): string => "¿Qué tipo de auto buscas? Dime marca, modelo, presupuesto o para qué lo necesitas (ej. familiar, para la ciudad).";
