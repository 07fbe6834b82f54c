/**
 * A database of its own for each test file: in-memory PGlite by default, or, when DATABASE_URL is
 * set (CI's second run), a fresh PostgreSQL database on that server, dropped afterwards. Test
 * files never see each other's rows.
 */
import { Effect, Layer, Redacted } from "effect";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { Database, type DatabaseOptions } from "./database.ts";

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

const adminQuery = async (serverUrl: string, statement: string) => {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
};

/** Options for a fresh database, plus a function that removes it. */
export const createTestDatabase = async (): Promise<{ options: DatabaseOptions; drop: () => Promise<void> }> => {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { options: { pgliteDataDir: "memory://" }, drop: async () => {} };
  const name = `kavak_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    options: { url: Redacted.make(url.toString()), pgliteDataDir: "" },
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
};

/** The Database layer on a fresh test database, removed when the layer is released. */
export const TestDatabase = Layer.unwrap(
  Effect.acquireRelease(
    Effect.promise(() => createTestDatabase()),
    ({ drop }) => Effect.promise(drop),
  ).pipe(Effect.map(({ options }) => Database.layer(options))),
);
