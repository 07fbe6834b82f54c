/** Mexican plates (the pure module lives in lib/ so the built-in model can use it too). */
export * from "../../lib/mx-plates.ts";
