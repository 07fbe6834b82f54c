/**
 * Body type and seats of each catalog model. Owned by the catalog-search work (issue 4); this first
 * cut knows nothing and says so (null), which the assistant shows as "no confirmado".
 */
import type { BodyType } from "./car.ts";

export interface BodyInfo {
  readonly bodyType: BodyType | null;
  readonly seats: number | null;
}

export const classifyBody = (_make: string, _model: string, _heightMm: number | null): BodyInfo => ({ bodyType: null, seats: null });
