/**
 * The master key's sources, on a real database and key folder: the key file is made once (0600
 * in a 0700 folder) and refused when others can read it or it is not a key; a data key another
 * master key wrapped is an authentication error; concurrent first uses agree on one key.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SecretVault } from "../../src/security/index.ts";
import { openSqliteStore, type Store } from "../../src/store/index.ts";

const opened: { dir: string; stores: Store[] }[] = [];

afterEach(async () => {
  for (const { dir, stores } of opened.splice(0)) {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A data directory; `vault()` opens another vault (another store connection) on it. */
function home() {
  const dir = mkdtempSync(join(tmpdir(), "trawl-master-key-"));
  const entry = { dir, stores: [] as Store[] };
  opened.push(entry);
  const keysDir = join(dir, "keys");
  return {
    keysDir,
    keyFile: join(keysDir, "master.key"),
    vault(fromEnv?: string) {
      const store = openSqliteStore(join(dir, "trawl.db"));
      entry.stores.push(store);
      return new SecretVault({ store: store.secrets, keysDir, fromEnv });
    },
  };
}

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe("the master key", () => {
  it("is made once as a private key file, and two first uses at once agree on it", async () => {
    const h = home();
    const [a, b] = [h.vault(), h.vault()];
    await Promise.all([a.set("ONE", "1"), b.set("TWO", "2")]);
    expect(statSync(h.keysDir).mode & 0o777).toBe(0o700);
    expect(statSync(h.keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(h.keyFile, "utf8")).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    const values = await h.vault().forRun(["ONE", "TWO"]);
    expect([values.get("ONE"), values.get("TWO")]).toEqual(["1", "2"]);
  });

  it("refuses a key file others can read, or one that holds no key", async () => {
    const h = home();
    await h.vault().set("ONE", "1");
    chmodSync(h.keyFile, 0o644);
    expect(await codeOf(h.vault().forRun(["ONE"]))).toBe("TRAWL_ERR_SECURITY_MASTER_KEY");
    writeFileSync(h.keyFile, "not a key\n", { mode: 0o600 });
    chmodSync(h.keyFile, 0o600);
    expect(await codeOf(h.vault().forRun(["ONE"]))).toBe("TRAWL_ERR_SECURITY_MASTER_KEY");
  });

  it("from TRAWL_MASTER_KEY opens only the vault it made; another key is an authentication error", async () => {
    const h = home();
    const key = Buffer.alloc(32, 7).toString("base64");
    await h.vault(key).set("ONE", "1");
    expect((await h.vault(key).forRun(["ONE"])).get("ONE")).toBe("1");
    expect(await codeOf(h.vault(Buffer.alloc(32, 8).toString("base64")).forRun(["ONE"]))).toBe(
      "TRAWL_ERR_SECURITY_KEY_AUTH",
    );
    // Without the variable, the vault says which key it needs and makes no key file.
    expect(await codeOf(h.vault().set("TWO", "2"))).toBe("TRAWL_ERR_SECURITY_KEY_AUTH");
    expect(existsSync(h.keyFile)).toBe(false);
  });

  it("is never made anew for a vault that has one: a lost key file is reported, not replaced", async () => {
    const h = home();
    await h.vault().set("ONE", "1");
    rmSync(h.keyFile);
    expect(await codeOf(h.vault().forRun(["ONE"]))).toBe("TRAWL_ERR_SECURITY_MASTER_KEY");
    expect(await codeOf(h.vault().set("TWO", "2"))).toBe("TRAWL_ERR_SECURITY_MASTER_KEY");
    expect(existsSync(h.keyFile)).toBe(false);
  });
});
