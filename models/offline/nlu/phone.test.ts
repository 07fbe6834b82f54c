import { describe, expect, it } from "vitest";
import { emptyClosing, readUser } from "../dialogue/closing-state.ts";
import { findPhone } from "./phone.ts";
import { mentionsWhen, whenPhrase } from "./when.ts";
import { readRating } from "./closing-cues.ts";

describe("phone numbers", () => {
  it.each([
    ["mi número es 55 1234 5678", "55 1234 5678", "5512345678"],
    ["llámenme al 5512345678", "5512345678", "5512345678"],
    ["(33) 1234-5678 porfa", "(33) 1234-5678", "3312345678"],
    ["+52 1 81 2345 6789", "+52 1 81 2345 6789", "8123456789"],
  ])("%s", (text, typed, digits) => expect(findPhone(text)).toMatchObject({ typed, digits }));

  it("ignores amounts, years and plates", () => {
    for (const text of ["busco algo de 250000", "un versa 2020 de 265,999", "placas NXR-4521", "con 50 mil de enganche"]) expect(findPhone(text)).toBeUndefined();
  });

  it("a number given unprompted starts the hand-off with it, not a search under that price", () => {
    const read = readUser(emptyClosing(), "llámenme al 5512345678 para lo del financiamiento", { cities: [], names: [] });
    expect(read.event).toEqual({ kind: "advisor" });
    expect(read.state.advisor).toEqual({ purpose: "financiamiento", phone: "5512345678" });
  });
});

describe("days and times", () => {
  it("finds the phrase the tool should read", () => {
    expect(whenPhrase("agéndame mañana a las 11 porfa")).toBe("manana a las 11");
    expect(whenPhrase("el sábado en la mañana")).toBe("sabado en la manana");
    expect(whenPhrase("quiero ir el 15 a las 4")).toBe("el 15 a las 4");
    expect(mentionsWhen("en Antara")).toBe(false);
  });
});

describe("ratings", () => {
  it("reads 1 to 5 with an optional comment", () => {
    expect(readRating("5 muy amable")).toEqual({ rating: 5, comment: "muy amable" });
    expect(readRating("le doy un 4")).toEqual({ rating: 4, comment: undefined });
    expect(readRating("cinco")).toEqual({ rating: 5, comment: undefined });
    expect(readRating("busco un versa")).toBeUndefined();
  });
});
