/**
 * The structured sedes (knowledge/documents/sedes.yaml) say exactly what the sedes documents say,
 * and where-questions are answered from them: by neighbourhood, by city, by nearness, and "none"
 * for a place without a sede (León is not Nuevo León).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { markdownDocument } from "./ingest.ts";
import type { StoredChunk } from "./knowledge-store.ts";
import { distanceKm, findPlaces, PLACES } from "./places.ts";
import { answerLocation, loadSedes, locationQuestion, noSedeAvailabilityQuestion, sedeDetailSection, singleSedeOf, streetsOf } from "./sedes.ts";
import { DEFAULT_DOCUMENTS_DIR } from "./sync.ts";

let chunks: StoredChunk[] = [];

beforeAll(async () => {
  const files = (await readdir(DEFAULT_DOCUMENTS_DIR)).filter((f) => f.endsWith(".md")).sort();
  let id = 0;
  for (const file of files) {
    const document = markdownDocument(file, await readFile(join(DEFAULT_DOCUMENTS_DIR, file), "utf8"));
    for (const chunk of document.chunks) {
      chunks.push({ chunkId: ++id, source: file, title: document.title, topic: document.topic, reference: document.reference, heading: chunk.heading, body: chunk.body, keywords: chunk.keywords.join(", "), answers: chunk.answers });
    }
  }
});

const fold = (text: string) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

describe("sedes.yaml", () => {
  it("has the 15 sedes, each copied from its section of the sedes documents", () => {
    const { sedes } = loadSedes();
    expect(sedes).toHaveLength(15);
    for (const sede of sedes) {
      const [source, heading] = sede.section.split("#") as [string, string];
      const section = chunks.find((c) => c.source === source && c.heading === heading);
      expect(section, sede.section).toBeDefined();
      const text = `${section!.heading}\n${section!.body}`;
      expect(text, sede.id).toContain(sede.name.replace(/^Kavak /, ""));
      expect(text, sede.id).toContain(sede.address);
      expect(text, sede.id).toContain(`Código postal (C.P.): ${sede.postalCode}`);
      if (sede.location) expect(text, sede.id).toContain(`Ubicación dentro del lugar: ${sede.location}`);
      else expect(text, sede.id).not.toContain("Ubicación dentro del lugar");
      if (sede.hours) expect(text, sede.id).toContain(`Horario: ${sede.hours}`);
      else expect(text, sede.id).toContain("Horario: no publicado");
      expect(fold(text), sede.id).toContain(fold(sede.city).replace(/ de baz$/, ""));
      expect(sede.services, "the source publishes no per-sede services").toEqual([]);
      for (const area of sede.areas.filter((a) => a.length > 4)) expect(fold(`${text} ${sede.name}`), `${sede.id}: ${area}`).toContain(area);
    }
  });

  it("covers every sede section of the documents", () => {
    const { sedes } = loadSedes();
    const sedeSections = chunks.filter((c) => c.source.startsWith("sedes-") && c.heading !== c.title);
    expect(sedeSections.map((c) => `${c.source}#${c.heading}`).sort()).toEqual(sedes.map((s) => s.section).sort());
  });
});

describe("places", () => {
  it("reads León as León (Guanajuato) and Nuevo León as Nuevo León, and tolerates one typo in long names", () => {
    expect(findPlaces("¿y en León?").map((m) => m.place.name)).toEqual(["León"]);
    expect(findPlaces("tienen sucursal en nuevo leon").map((m) => m.place.name)).toEqual(["Nuevo León"]);
    expect(findPlaces("y en puabla?").map((m) => m.place.name)).toEqual(["Puebla"]);
    expect(findPlaces("vivo en un pueblo")).toEqual([]);
    expect(findPlaces("san pedro garza garcia").map((m) => m.place.name)).toEqual(["San Pedro Garza García"]);
  });
});

describe("where-questions", () => {
  const answer = (question: string) => answerLocation(question, chunks);

  it("are only questions about a place and nothing else", () => {
    expect(locationQuestion("¿tienen sucursal por Polanco?")?.place.name).toBe("Polanco");
    expect(locationQuestion("me voy a vivir a monterrey en enero, tienen sucursal alla?")?.place.name).toBe("Monterrey");
    expect(locationQuestion("a qué hora abren en santa fe")).toBeUndefined();
    expect(locationQuestion("¿me lo pueden llevar a mi casa en Iztapalapa?")).toBeUndefined();
    expect(locationQuestion("como va a estar el clima mañana en puebla")).toBeUndefined();
  });

  it("answer a neighbourhood with its sede", () => {
    const polanco = answer("¿tienen sucursal por Polanco?");
    expect(polanco).toMatchObject({ source: "sedes-ciudad-de-mexico.md", heading: "Antara Fashion Hall (Polanco, Miguel Hidalgo)" });
    expect(polanco?.text).toContain("Av. Moliere, Polanco II Sección, Miguel Hidalgo");
    expect(answer("hay sede en coacalco?")?.heading).toBe("Cosmopol (Coacalco, Estado de México)");
    expect(answer("direccion de las torres puebla")?.heading).toBe("Kavak Las Torres (Puebla, Ex Hacienda Mayorazgo)");
  });

  it("answer a city with all its sedes and their addresses", () => {
    const monterrey = answer("dond stan en monterrey");
    expect(monterrey?.source).toBe("sedes-monterrey.md");
    expect(monterrey?.text).toContain("Kavak Punto Valle: Río Missouri 555");
    expect(monterrey?.text).toContain("Kavak Nuevo Sur: Av. Revolución 2703");
    expect(answer("tienen sucursal en nuevo leon")?.text).toContain("Punto Valle");
    expect(answer("sucursal en el estado de mexico")?.text).toMatch(/Sentura[\s\S]*Cosmopol/);
    expect(answer("cual es la direccion de kavak en queretaro")?.text).toContain("Av. Constituyentes 40");
  });

  it("answer the nearest sedes to a zone without one", () => {
    const satelite = answer("¿cuál me queda más cerca de Satélite?");
    expect(satelite?.text).toMatch(/^Las sedes de Kavak más cercanas a Satélite/);
    expect(satelite?.text).toContain("Tlalnepantla: Sentura Tlalnepantla, Periférico");
    expect(answer("kavak en zapopan")?.source).toBe("sedes-guadalajara.md");
  });

  it("say there is no sede in a city without one, and name the nearest", () => {
    const leon = answer("¿en León?");
    expect(leon).toMatchObject({ source: "red-de-sedes.md", heading: "Ciudades sin sede publicada" });
    expect(leon?.text).toMatch(/^No hay una sede de Kavak en León\nEn León \(Guanajuato\) no hay una sede publicada de Kavak/);
    expect(leon?.text).toContain("La más cercana a León es Puerta La Victoria (Querétaro)");
    expect(leon?.text).toContain("sin ir a una sede");
    expect(leon?.text).not.toContain("Nuevo León");
    expect(answer("hay kavak en merida")?.text).toMatch(/^No hay una sede de Kavak en Mérida/);
  });

  it("answer whether Kavak is in every known city or state without a sede from the no-sede section", () => {
    const { sedes } = loadSedes();
    const fold2 = (text: string) => fold(text).trim();
    const withoutSede = PLACES.filter(
      (place) =>
        place.metro === undefined &&
        (place.kind === "city" || place.kind === "state") &&
        !sedes.some((sede) => fold2(sede.city) === fold2(place.name) || fold2(sede.state) === fold2(place.name)),
    );
    expect(withoutSede.length).toBeGreaterThan(50);
    for (const place of withoutSede) {
      const plain = place.aliases.filter((a) => !place.contextual.includes(a));
      const alias = plain.find((a) => a.includes(" ")) ?? plain[0]!;
      for (const question of [`tienen autos en ${alias}?`, `¿hay kavak en ${alias}?`, `venden carros en ${alias}`, `hasta donde hacen envios? estoy en ${alias}`]) {
        expect(answer(question), `${place.name}: ${question}`).toMatchObject({ source: "red-de-sedes.md", heading: "Ciudades sin sede publicada" });
        expect(answer(question)?.text, question).toContain(`No hay una sede de Kavak en ${place.name}`);
      }
    }
  });

  it("leave other questions naming a city without a sede, and availability questions about a city with sedes, to the search", () => {
    expect(noSedeAvailabilityQuestion("¿me lo llevan a mi casa en Toluca?")).toBeUndefined();
    expect(noSedeAvailabilityQuestion("a que hora abren en leon")).toBeUndefined();
    expect(noSedeAvailabilityQuestion("tienen credito en merida?")).toBeUndefined();
    expect(noSedeAvailabilityQuestion("tienen autos en monterrey?")).toBeUndefined();
    expect(noSedeAvailabilityQuestion("tienen autos en tuxtla o en monterrey?")).toBeUndefined();
    expect(noSedeAvailabilityQuestion("tienen autos en tuxtla gutierrez?")?.name).toBe("Tuxtla Gutiérrez");
  });
});

describe("one sede's details", () => {
  const detail = (question: string) => sedeDetailSection(question, chunks)?.heading;

  it("are answered by that sede's own section: a single sede of its city, its zone, its name or its street with its city", () => {
    expect(detail("la de qro en que piso del estacionamiento esta?")).toBe("Puerta La Victoria (Querétaro, Col. Villas del Sol)");
    expect(detail("a que hora abre la de cuernavaca")).toBe("Forum Cuernavaca (Cuernavaca, Col. Ricardo Flores Magón)");
    expect(detail("la de azcapotzalco en que parte del centro comercial esta")).toBe("El Rosario Town Center (Azcapotzalco)");
    expect(detail("codigo postal de la sucursal de lopez mateos en gdl")).toBe("Midtown Guadalajara (Italia Providencia)");
    expect(detail("en que nivel esta la de antara")).toBe("Antara Fashion Hall (Polanco, Miguel Hidalgo)");
  });

  it("leave a city with several sedes, a street without its city and questions about something else to the search", () => {
    expect(detail("horario de la sucursal de monterrey")).toBeUndefined();
    expect(detail("codigo postal de la de lopez mateos")).toBeUndefined();
    expect(detail("a que hora abren")).toBeUndefined();
    expect(detail("la de qro abre los domingos?")).toBeUndefined();
    expect(detail("me lo llevan a mi casa en cuernavaca? a que hora?")).toBeUndefined();
  });

  it("read streets from the addresses, never a colonia or a city", () => {
    const streets = new Set(loadSedes().sedes.flatMap((sede) => streetsOf(sede)));
    expect([...streets]).toEqual(expect.arrayContaining(["lopez mateos", "constituyentes", "vasco de quiroga", "aquiles serdan"]));
    for (const notStreet of ["monterrey", "del valle", "villas del sol", "de quiroga", "italia providencia"]) expect(streets.has(notStreet), notStreet).toBe(false);
    expect(singleSedeOf("vivo sobre av revolucion")).toBeUndefined();
    // the Tec is Monterrey's (Av. Revolución runs past it): that city's Revolución
    expect(singleSedeOf("vivo sobre av revolucion cerca del tec")?.id).toBe("nuevo-sur");
  });
});

describe("where-questions with a landmark or a distance", () => {
  it("read a metro station and 'which one suits me' as a nearest question, and 'an hour from Monterrey' as a distance", () => {
    expect(answerLocation("me queda cerca el metro politecnico, que sede me queda mas a la mano", chunks)?.heading).toBe("Plaza Fortuna (Magdalena de las Salinas)");
    expect(answerLocation("vivo en tlalpan por el ajusco, cual me conviene mas", chunks)?.heading).toBe("Artz Pedregal (Jardines del Pedregal, Álvaro Obregón)");
    expect(answerLocation("tienen en saltillo? estoy como a una hora de monterrey", chunks)?.heading).toBe("Ciudades sin sede publicada");
  });
});

describe("the gazetteer", () => {
  const names = (question: string) => findPlaces(question).map((m) => m.place.name);
  const heading = (question: string) => answerLocation(question, chunks)?.heading;

  it("gives no name to two places without saying it is shared, and keeps every place in Mexico and every zone near its metro", () => {
    const plain = new Map<string, string>();
    for (const place of PLACES) {
      for (const alias of place.aliases.filter((a) => !place.contextual.includes(a))) {
        expect(plain.get(alias), `"${alias}": ${place.name} and ${plain.get(alias)}`).toBeUndefined();
        plain.set(alias, place.name);
      }
      const [lat, lon] = place.coordinates;
      expect(lat > 14.5 && lat < 32.8 && lon > -118.5 && lon < -86.5, place.name).toBe(true);
      const metro = PLACES.find((p) => p.kind === "metro" && p.metro === place.metro);
      if (metro) expect(distanceKm(place.coordinates, metro.coordinates), place.name).toBeLessThan(50);
    }
  });

  it("reads a shared name by the metro or state named with it, and leaves it out when nothing says which", () => {
    expect(names("tienen sucursal en la del valle?")).toEqual(["Del Valle"]);
    expect(names("colonia del valle en san pedro")).toEqual(["Del Valle (San Pedro Garza García)", "San Pedro Garza García"]);
    expect(names("vivo sobre av revolucion cerca del tec")).toEqual(["Avenida Revolución (Monterrey)", "Tec de Monterrey, campus Monterrey"]);
    expect(names("av revolucion en cdmx")).toEqual(["Avenida Revolución (Ciudad de México)", "Ciudad de México"]);
    expect(names("vivo sobre av revolucion")).toEqual([]);
    expect(names("cerca del tec en guadalajara")).toEqual(["Tec de Monterrey, campus Guadalajara", "Guadalajara"]);
    expect(names("cerca del tec en cdmx")).toEqual(["Ciudad de México"]);
    expect(names("trabajo en el tecnologico de celaya")).toEqual(["Celaya"]);
    expect(names("estoy en la paz")).toEqual(["La Paz"]);
    expect(names("estoy en la paz edomex")).toEqual(["La Paz (Estado de México)"]);
    expect(names("la paz, puebla")).toEqual(["La Paz (Puebla)", "Puebla"]);
    expect(names("cuanto cobra uber por ir al aeropuerto")).toEqual([]);
    expect(names("cerca del aeropuerto en queretaro")).toEqual(["Aeropuerto de Querétaro", "Querétaro"]);
    expect(names("lopez mateos en gdl")).toEqual(["Avenida López Mateos (Guadalajara)", "Guadalajara"]);
    expect(names("codigo postal de la de lopez mateos")).toEqual([]);
  });

  it("never reads everyday words, names or longer place names as a place one letter away", () => {
    for (const question of ["yo tampoco", "soy señora", "a la medida", "no tengo nada en contra", "soy andres", "me llamo rosario", "la resolucion del credito", "universidad politecnica", "tabaco", "un charco"]) {
      expect(names(question), question).toEqual([]);
    }
    expect(names("estoy en san pedro de los pinos")).toEqual(["San Pedro de los Pinos"]);
    expect(names("vivo en hacienda santa fe")).toEqual(["Hacienda Santa Fe"]);
    expect(names("kavak bosques del valle coacalco")).toEqual(["Coacalco", "Coacalco"]);
  });

  it("answers with the nearest sede to colonias, landmarks and avenues people name", () => {
    expect(heading("estoy por el ajusco, cual me queda mas cerca")).toBe("Artz Pedregal (Jardines del Pedregal, Álvaro Obregón)");
    expect(heading("cerca de CU cual sucursal me queda")).toBe("Artz Pedregal (Jardines del Pedregal, Álvaro Obregón)");
    expect(heading("tienen algo por el sur de la ciudad, tipo perisur o periferico sur?")).toBe("Artz Pedregal (Jardines del Pedregal, Álvaro Obregón)");
    expect(heading("vivo en indios verdes")).toBe("Plaza Fortuna (Magdalena de las Salinas)");
    expect(heading("vivo en lomas verdes, cual me queda")).toBe("Tlalnepantla: Sentura Tlalnepantla (Estado de México)");
    expect(heading("vivo sobre av revolucion cerca del tec, cual me conviene")).toBe("Kavak Nuevo Sur (Monterrey, Col. Ladrillera)");
    expect(heading("vivo en la colonia del valle en san pedro, cual me queda")).toBe("Kavak Punto Valle (San Pedro Garza García, Col. Del Valle)");
    expect(heading("tienen sucursal por lopez mateos en guadalajara?")).toBe("Midtown Guadalajara (Italia Providencia)");
    expect(heading("cual me queda mas cerca de lopez mateos sur")).toBe("Punto Sur (Tlajomulco de Zúñiga, Los Gavilanes)");
    expect(heading("vivo en hacienda santa fe, tienen sucursal por ahi?")).toBe("Punto Sur (Tlajomulco de Zúñiga, Los Gavilanes)");
    expect(heading("estoy en san pedro de los pinos, donde estan?")).not.toBe("Kavak Punto Valle (San Pedro Garza García, Col. Del Valle)");
    expect(heading("vivo en mayorazgo, donde estan")).toBe("Kavak Las Torres (Puebla, Ex Hacienda Mayorazgo)");
    expect(heading("por la udlap hay sucursal?")).toBe("Kavak Explanada (Puebla, Santiago Momoxpan)");
    expect(heading("estoy en juriquilla")).toBe("Puerta La Victoria (Querétaro, Col. Villas del Sol)");
    expect(heading("vivo en jiutepec, donde estan")).toBe("Forum Cuernavaca (Cuernavaca, Col. Ricardo Flores Magón)");
  });

  it("says there is no sede in more cities, and names the nearest", () => {
    expect(answerLocation("saltillo", chunks)?.text).toMatch(/^No hay una sede de Kavak en Saltillo\n/);
    expect(answerLocation("hay kavak en xalapa?", chunks)?.text).toMatch(/^No hay una sede de Kavak en Xalapa\n/);
    const lerma = answerLocation("tienen sucursal en lerma?", chunks);
    expect(lerma?.heading).toBe("Ciudades sin sede publicada");
    expect(lerma?.text).toContain("La más cercana a Lerma es Patio Santa Fe");
    expect(answerLocation("tienen en tonala chiapas?", chunks)?.text).toMatch(/^No hay una sede de Kavak en Tonalá\nEn Tonalá \(Chiapas\)/);
  });
});
