/** What the channel itself says to people (Spanish, Mexico): never a stack trace or raw JSON. */
export const REPLIES = {
  agentFailed:
    "Una disculpa, tuve un problema para responderte en este momento. 🙏\n¿Me lo puedes volver a escribir en un par de minutos?",
  unsupportedMedia:
    "Gracias por tu mensaje. 🙂 Por ahora solo puedo leer texto y ver *fotos*.\n¿Me cuentas por escrito qué necesitas?",
  unsupportedMediaNote: "_Nota: por ahora solo puedo ver fotos; el otro archivo que enviaste no lo pude abrir._",
  imageRejected:
    "No pude abrir la foto que enviaste (solo recibo JPG, PNG o WEBP de hasta 5 MB). 🙏\n¿Me la mandas de nuevo o me cuentas por escrito qué necesitas?",
  imageRejectedNote: "_Nota: no pude abrir una de las fotos (solo recibo JPG, PNG o WEBP de hasta 5 MB)._",
  emptyMessage: "¡Hola! 👋 Soy tu asesor de autos seminuevos. ¿Qué auto estás buscando?",
  stillWorking:
    "Sigo revisando tu mensaje y me está tomando más de lo normal. 🙏\nEscríbeme de nuevo en un momento, por favor.",
} as const;

/** The user's words for the core when a message carries only photos. */
export const photosOnlyText = (count: number): string => (count === 1 ? "Te envío una foto." : `Te envío ${count} fotos.`);
