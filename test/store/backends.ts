/**
 * The store contract suite's two backends (issue 17): a test written once against `Store` runs
 * on SQLite (a fresh file) and on PostgreSQL (a fresh database in the suite's server, see
 * test/setup/postgres.ts). Use `describeStores("runs", (open) => …)`: every `it` inside gets a
 * fresh store from `open()`, closed (and its files or database removed) after the test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe } from "vitest";
import { openSqliteStore, type Store } from "../../src/store/index.ts";
import { openPgStore } from "../../src/store/pg-store.ts";
import { freshDatabase } from "../fixtures/postgres.ts";

/** The backends, by name. */
export type Backend = "sqlite" | "postgres";

/** Where each open test store keeps its data: its SQLite file, or its PostgreSQL database's URL. */
const locations = new WeakMap<Store, { backend: Backend; location: string }>();

/** Where `store` (opened by {@link openTestStore}) keeps its data: to read rows as stored, or open it twice. */
export function locationOf(store: Store): { backend: Backend; location: string } {
  const location = locations.get(store);
  if (!location) throw new Error("not a store of openTestStore");
  return location;
}

/** Opens a fresh, empty store of `backend`; `close()` ends it and removes what it stored. */
export async function openTestStore(backend: Backend): Promise<{ store: Store; close(): Promise<void> }> {
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "trawl-contract-"));
    const store = openSqliteStore(join(dir, "trawl.db"));
    locations.set(store, { backend, location: join(dir, "trawl.db") });
    return {
      store,
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await freshDatabase("contract");
  const store = await openPgStore(database.url);
  locations.set(store, { backend, location: database.url });
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/**
 * Declares the same tests for each backend (`describe("<title> on sqlite")`, `… on postgres`).
 * `open()` inside a test gives that backend's fresh store; it is closed after the test.
 */
export function describeStores(
  title: string,
  tests: (open: () => Promise<Store>, backend: Backend) => void,
  backends: readonly Backend[] = ["sqlite", "postgres"],
): void {
  for (const backend of backends) {
    describe(`${title} on ${backend}`, () => {
      const opened: { close(): Promise<void> }[] = [];
      afterEach(async () => {
        await Promise.all(opened.splice(0).map((s) => s.close()));
      });
      tests(async () => {
        const test = await openTestStore(backend);
        opened.push(test);
        return test.store;
      }, backend);
    });
  }
}
