/** The conversation the turn benchmarks replay: a greeting, a search, a financing quote, a knowledge question, a second search. */
export const TURN_SCRIPT: ReadonlyArray<string> = [
  "Hola",
  "Busco un Nissan Versa",
  "¿Cuánto pagaría al mes por el Nissan Versa 2020 con 50 mil de enganche a 48 meses?",
  "¿Tienen garantía?",
  "Busco una camioneta de menos de 400 mil",
];
