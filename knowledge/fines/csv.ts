/**
 * Fines from CSV into the embedded registry (`npm run fines:import -- file.csv`).
 * Columns: folio, plate, description, authority, issued_on (YYYY-MM-DD), amount (pesos, "1085.70"),
 * status (unpaid | paid, default unpaid). Lines starting with "#" are comments. Fields may be
 * double-quoted ("a, b"). A row with a bad plate, date or amount fails the whole import.
 */
import { Effect } from "effect";
import { Database, type DatabaseError } from "../db/database.ts";
import { decimalToCents } from "./money.ts";
import { normalizePlate } from "./plates.ts";

export interface FineRow {
  readonly folio: string;
  readonly plate: string;
  readonly description: string;
  readonly authority: string;
  readonly issuedOn: string;
  readonly amountCents: number;
  readonly status: "unpaid" | "paid";
}

const splitLine = (line: string): string[] => {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") fields.push(field.trim()), (field = "");
    else field += ch;
  }
  fields.push(field.trim());
  return fields;
};

/** Parses the CSV text; throws with the line number of the first bad row. */
export const parseFinesCsv = (text: string): FineRow[] => {
  const lines = text.split(/\r?\n/).map((line, index) => ({ line, number: index + 1 })).filter(({ line }) => line.trim() !== "" && !line.trimStart().startsWith("#"));
  const [header, ...rows] = lines;
  if (header === undefined) return [];
  const columns = splitLine(header.line).map((c) => c.toLowerCase());
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0 && name !== "status") throw new Error(`fines CSV: missing column "${name}"`);
    return index;
  };
  const index = { folio: at("folio"), plate: at("plate"), description: at("description"), authority: at("authority"), issuedOn: at("issued_on"), amount: at("amount"), status: at("status") };
  return rows.map(({ line, number }) => {
    const fields = splitLine(line);
    const get = (i: number) => (i < 0 ? "" : (fields[i] ?? ""));
    const plate = normalizePlate(get(index.plate));
    if (plate === undefined) throw new Error(`fines CSV line ${number}: not a plate of a known format`);
    const amountCents = decimalToCents(get(index.amount));
    if (amountCents === undefined || amountCents <= 0) throw new Error(`fines CSV line ${number}: amount must be pesos with at most two decimals`);
    const issuedOn = get(index.issuedOn);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(issuedOn) || Number.isNaN(Date.parse(issuedOn))) throw new Error(`fines CSV line ${number}: issued_on must be YYYY-MM-DD`);
    const status = get(index.status) || "unpaid";
    if (status !== "unpaid" && status !== "paid") throw new Error(`fines CSV line ${number}: status must be unpaid or paid`);
    const folio = get(index.folio);
    if (folio === "") throw new Error(`fines CSV line ${number}: folio is empty`);
    return { folio, plate: plate.plate, description: get(index.description), authority: get(index.authority), issuedOn, amountCents, status };
  });
};

/** Inserts or updates (by folio) every row in one transaction; answers how many. */
export const importFines = (rows: ReadonlyArray<FineRow>, source: string): Effect.Effect<number, DatabaseError, Database> =>
  Effect.flatMap(Database, ({ use }) =>
    use("traffic_fines.import", (db) =>
      db.transaction().execute(async (trx) => {
        for (const row of rows) {
          const values = { folio: row.folio, plate: row.plate, description: row.description, authority: row.authority, issued_on: row.issuedOn, amount_cents: row.amountCents, status: row.status, source };
          await trx.insertInto("traffic_fines").values(values).onConflict((oc) => oc.column("folio").doUpdateSet(values)).execute();
        }
        return rows.length;
      }),
    ),
  );
