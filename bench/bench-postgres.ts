/**
 * The workers bench's PostgreSQL: the embedded server the test suite uses
 * (`test/setup/postgres-server.mjs`, in a process of its own, which prints `ready <url>`), with
 * durability turned back on (the suite runs it with `fsync=off`; a real server fsyncs its
 * commits: `-c fsync=on` overrides it), and a fresh database per measurement.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import pg from "pg";

const SERVER = fileURLToPath(new URL("../test/setup/postgres-server.mjs", import.meta.url));

/** A running PostgreSQL server of the bench. */
export interface BenchPostgres {
  /** The maintenance database's URL (superuser). */
  url: string;
  /** Makes an empty database and returns its URL. */
  freshDatabase(label: string): Promise<string>;
  /** Stops the server and removes its data. */
  stop(): Promise<void>;
}

/**
 * Starts the server and waits until it accepts connections.
 * @param durable - Commits fsynced as a production server's are (`fsync = on`,
 *   `synchronous_commit = on`); false: as the test suite runs it (`fsync = off`).
 */
export async function startBenchPostgres(durable = true): Promise<BenchPostgres> {
  const flags = durable ? ["-c", "fsync=on"] : [];
  const child = spawn(process.execPath, [SERVER, ...flags], { stdio: ["pipe", "pipe", "inherit"] });
  const url = await readyUrl(child);
  let made = 0;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    url,
    freshDatabase: (label) =>
      admin(async (client) => {
        const name = `bench_${label}_${++made}`;
        await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
        const database = new URL(url);
        database.pathname = `/${name}`;
        return database.toString();
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(seen);
      if (ready) resolve(ready[1]!);
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the bench's PostgreSQL exited early (${code})`)));
  });
}
