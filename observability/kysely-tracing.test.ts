import { describe, expect, it } from "vitest";
import { summarizeQuery } from "./kysely-tracing.ts";

describe("summarizeQuery (db.operation.name, db.collection.name, db.query.summary)", () => {
  it.each([
    ['select "id", "price" from "cars" where "stock_id" = $1', "SELECT", "cars"],
    ['insert into "financing_quotes" ("id") values ($1) returning *', "INSERT", "financing_quotes"],
    ['update "knowledge_documents" set "hash" = $1 where "id" = $2', "UPDATE", "knowledge_documents"],
    ['delete from "messages" where "conversation_id" = $1', "DELETE", "messages"],
    ['insert into "pgboss"."job" ("name") values ($1)', "INSERT", "pgboss.job"],
    ["with saved as (select 1) select * from saved", "WITH", "saved"],
    ["begin", "BEGIN", undefined],
    ["select 1", "SELECT", undefined],
  ])("%s", (sql, operation, collection) => {
    const summary = summarizeQuery(sql);
    expect(summary.operation).toBe(operation);
    expect(summary.collection).toBe(collection);
    expect(summary.summary).toBe(collection ? `${operation} ${collection}` : operation);
  });
});
