/**
 * A PostgreSQL cluster of a test's own (initdb + pg_ctl from /usr/lib/postgresql/<n>/bin, run as
 * user postgres when the test runs as root, on a free port, data in a temporary folder), for
 * fault tests that stop, kill or restart the server. Never the machine's shared server.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/** The bin folder of the newest installed PostgreSQL with initdb and pg_ctl, or undefined. */
export const postgresBinDir = (): string | undefined => {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "initdb")) && existsSync(join(root, name, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
};

/** Why a throwaway cluster cannot be started here, or undefined when it can. */
export const throwawayUnavailableReason = (): string | undefined => {
  if (!postgresBinDir()) return "no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin";
  if (process.getuid?.() === 0) {
    if (!existsSync("/usr/sbin/runuser") && !existsSync("/sbin/runuser")) return "running as root without runuser to switch to user postgres";
  }
  return undefined;
};

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export interface ThrowawayCluster {
  readonly port: number;
  /** Connection string to a database of this cluster (default "postgres"). */
  readonly url: (database?: string) => string;
  readonly createDatabase: (name: string) => Promise<string>;
  /** fast: clean shutdown; immediate: like a crash (no checkpoint, clients cut off). */
  readonly stop: (mode?: "fast" | "immediate") => Promise<void>;
  readonly start: () => Promise<void>;
  readonly isRunning: () => Promise<boolean>;
  /** Stops the server and removes its data. */
  readonly destroy: () => Promise<void>;
}

export const startThrowawayCluster = async (): Promise<ThrowawayCluster> => {
  const bin = postgresBinDir();
  if (!bin) throw new Error(throwawayUnavailableReason());
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "kavak-pg-"));
  const data = join(dir, "data");
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const exec = (file: string, args: string[]) =>
    asRoot ? run("/usr/sbin/runuser", ["-u", "postgres", "--", join(bin, file), ...args], { cwd: dir }) : run(join(bin, file), args, { cwd: dir });

  await exec("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=100",
  ].join(" ");
  const start = async () => {
    await exec("pg_ctl", ["start", "-D", data, "-w", "-t", "60", "-l", join(dir, "server.log"), "-o", settings]);
  };
  const stop = async (mode: "fast" | "immediate" = "fast") => {
    await exec("pg_ctl", ["stop", "-D", data, "-m", mode, "-w", "-t", "60"]).catch(() => undefined);
  };
  const isRunning = async () =>
    exec("pg_ctl", ["status", "-D", data]).then(
      () => true,
      () => false,
    );
  await start();
  const url = (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
    start,
    isRunning,
    destroy: async () => {
      await stop("immediate");
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/**
 * A fresh PostgreSQL database for a test: on DATABASE_URL's server when set (CI's PostgreSQL
 * pass), else on a throwaway cluster. `skip` says why neither is possible.
 */
export const postgresForTest = async (): Promise<{ readonly url: string; readonly release: () => Promise<void> }> => {
  const serverUrl = process.env.DATABASE_URL;
  const name = `kavak_test_${Math.random().toString(16).slice(2, 14)}`;
  if (serverUrl) {
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    await admin(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return { url: url.toString(), release: () => admin(`drop database if exists ${name} with (force)`) };
  }
  const cluster = await startThrowawayCluster();
  return { url: await cluster.createDatabase(name), release: cluster.destroy };
};

/** Why postgresForTest cannot work here, or undefined. */
export const postgresForTestUnavailable = (): string | undefined => (process.env.DATABASE_URL ? undefined : throwawayUnavailableReason());
