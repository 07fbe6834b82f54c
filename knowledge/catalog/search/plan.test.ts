import { describe, expect, it } from "vitest";
import { buildPlan } from "./plan.ts";

const plan = (query: Parameters<typeof buildPlan>[0]) => buildPlan(query, () => false);

describe("search plan ordering", () => {
  it("lists the cheapest first when the buyer wants something economical", () => {
    expect(plan({ make: "Chevrolet", needs: ["economico"] }).sort).toBe("price_asc");
  });

  it("keeps an explicit order and defaults to relevance otherwise", () => {
    expect(plan({ needs: ["economico"], sort: "year_desc" }).sort).toBe("year_desc");
    expect(plan({ needs: ["familiar"] }).sort).toBe("relevance");
  });
});
