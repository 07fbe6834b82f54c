import { describe, expect, it } from "vitest";
import { findKavakTopics } from "./kavak-topics.ts";
import { normalize } from "./normalize.ts";
import { findPlace } from "./places.ts";
import { understand } from "./understand.ts";

const topics = (text: string) => findKavakTopics(normalize(text)).map((t) => t.topic);
const place = (text: string) => findPlace(normalize(text))?.place;

describe("subjects of the knowledge base", () => {
  it.each([
    ["tienen agencia en guadalajara", "branches"],
    ["hasta que hora esta abierto", "hours"],
    ["puedo ver el auto por videollamada", "buying"],
    ["si no me convence lo regreso?", "trial"],
    ["la garnatia cubre el motor?", "warranty"],
    ["cuanto me dan por mi carro", "own_car"],
    ["sirve el pasaporte como identificacion", "documents"],
    ["cual es el enganche minimo", "credit_rules"],
    ["olvide como iniciar sesion en la aplicacion", "app"],
    ["kavak es de fiar?", "company"],
  ])("%s → %s", (text, topic) => {
    expect(topics(text)).toContain(topic);
  });

  it("does not correct real words into domain words ('interesa' is not 'interés')", () => {
    expect(topics("me interesa el versa")).toEqual([]);
  });

  it("does not read a car's own features as subjects", () => {
    expect(topics("busco un auto seguro y familiar")).toEqual([]);
    expect(topics("quiero mi auto ideal")).toEqual([]);
  });
});

describe("places", () => {
  it.each([
    ["y en puabla?", "puebla"],
    ["dond stan en monterey", "monterrey"],
    ["tienen algo por alvaro obregon", "alvaro obregon"],
    ["sucursal en san pedro garza garcia", "san pedro garza garcia"],
    ["punto sur gdl", "gdl"],
  ])("%s → %s", (text, expected) => {
    expect(place(text)).toBe(expected);
  });

  it("tolerates one typo only, so everyday words stay words", () => {
    expect(place("un resumen de la revolucion mexicana")).toBeUndefined();
    expect(place("que medidas tiene")).toBeUndefined();
    expect(place("ensename mas")).toBeUndefined();
  });
});

describe("Kavak questions against car requests", () => {
  it.each([
    ["dond stan en monterrey", "knowledge"],
    ["y en puabla?", "knowledge"],
    ["kavak sentura", "knowledge"],
    ["kavak vale mas de mil millones?", "knowledge"],
    ["me ayudan a conseguir un modelo que no tienen", "knowledge"],
    ["y si no tienen el carro que yo quiero?", "knowledge"],
    ["que pasa si el auto que busco no esta en kavak?", "knowledge"],
    ["tienen el carro que yo quiero?", "search_cars"],
    ["que tasa de interes manejan", "knowledge"],
    ["busco un versa en monterrey", "search_cars"],
    ["tienen camionetas en guadalajara?", "search_cars"],
    ["kavak sentra 2020", "search_cars"],
    ["cual es la tasa del versa", "financing"],
    ["cuanto pagaria al mes con 50 mil de enganche", "financing"],
    ["clima en monterrey", "off_topic"],
    ["venden motos?", "off_topic"],
    ["quien invento el auto", "off_topic"],
  ])("%s → %s", (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });

  it("a general financing question also reads as financing, for when a car is being discussed", () => {
    expect(understand("se puede financiar?")).toEqual({ intent: "knowledge", slots: {}, alternative: { intent: "financing", slots: {} } });
    expect(understand("puedo financiar a 84 meses").alternative).toEqual({ intent: "financing", slots: { termMonths: [84] } });
    expect(understand("a cuantos meses lo puedo pagar?").intent).toBe("financing");
  });
});
