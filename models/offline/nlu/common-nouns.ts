/**
 * Is this word an ordinary Spanish noun rather than a car model name? Used when someone asks for a
 * thing the vocabulary does not know ("busco un elantra" vs "busco un plomero"): the catalog changes,
 * so an unknown name after a request verb is searched as free text, unless it is a word of the
 * language. Two tests, because no list is complete:
 * - a list of everyday nouns people ask a chat for (jobs, services, food, gadgets, people, places);
 * - Spanish noun and adjective endings that model names practically never have ("plomero",
 *   "electricista", "contador", "profesor", "terapeuta", "reparación", "mantenimiento"). Known models with such endings
 *   (Renault Sandero, Chevrolet Colorado) belong in vocabulary.ts.
 */
import { COMMON_WORDS } from "./common-words.ts";
import { anyOf } from "./alternation.ts";

const EVERYDAY_NOUNS: ReadonlySet<string> = new Set(
  `trabajo empleo chamba jale casa casas departamento depa cuarto terreno local oficina renta
  novia novio pareja amigo amiga amigos esposa esposo mama papa hijo hija hijos bebe perro perrito gato mascota
  regalo celular telefono app aplicacion pagina web computadora compu laptop tablet tele television consola audifonos reloj
  pizza comida cafe agua cerveza refresco taco tacos torta hamburguesa pastel postre desayuno cena
  hotel vuelo boleto boletos viaje vacaciones playa restaurante bar fiesta
  doctor medico dentista abogado plomero electricista mecanico taller cerrajero carpintero albanil chofer taxi
  asesor agente humano persona gerente ejecutivo vendedor alguien nadie
  seguro prestamo tarjeta cuenta banco cajero dinero lana varo feria efectivo
  llanta llantas rin rines bateria aceite refaccion refacciones pieza piezas motor frenos
  moto motos bici bicicleta camion autobus grua
  ropa zapatos tenis libro libros pelicula serie cancion musica juego juegos videojuego
  receta chiste consejo ayuda informacion info dato datos cita horario precio descuento promocion oferta
  tiempo lugar sitio pagina numero correo direccion sucursal sede agencia
  plan planes opcion opciones cosa cosas algo nada otro otra otros otras uno una unos unas favor
  alguno alguna algunos algunas varios varias muchos muchas pocos pocas todos todas mas menos cual cuales quien
  esto eso ese esa este esta estos estas esos esas aquel aquella mismo misma tal`
    .split(/\s+/)
    .filter((w) => w !== ""),
);

/** Endings of Spanish common nouns, adjectives and participles ("plomero", "contador", "reparación"). */
const NOUN_ENDINGS = new RegExp(`(?:${anyOf([
  "ors?",
  "ores",
  "oras?",
  "etas?",
  "eutas?",
  "grafos?",
  "grafas?",
  "stros?",
  "stras?",
  "entros?",
  "eros?",
  "eras?",
  "istas?",
  "dor",
  "dora",
  "dores",
  "doras",
  "cion",
  "ciones",
  "sion",
  "siones",
  "dad",
  "dades",
  "miento",
  "mientos",
  "uras?",
  "antes?",
  "entes?",
  "ancias?",
  "encias?",
  "ismo",
  "arios?",
  "arias?",
  "icos?",
  "icas?",
  "logos?",
  "logas?",
  "itos?",
  "itas?",
  "illos?",
  "illas?",
  "erias?",
  "anzas?",
  "ajes?",
  "bles?",
  "osos?",
  "osas?",
  "mente",
  "ados?",
  "adas?",
  "idos?",
  "idas?",
])})$`);

const singular = (word: string): string => word.replace(/(?<=[aeiou])s$|(?<=[^aeiou])es$/, "");

export const isEverydayWord = (word: string): boolean =>
  [word, singular(word)].some((w) => COMMON_WORDS.has(w) || EVERYDAY_NOUNS.has(w)) || NOUN_ENDINGS.test(word);
