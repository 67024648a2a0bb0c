/**
 * The secrets vault (issue 15, items 6 and 7) through the real `trawl` command: `trawl secrets
 * set/list/rm` (value from stdin, never from argv), a recorded run whose header, cookie, login
 * form, start URL and POST form read `{{ secret.NAME }}` (and 46 canary headers) against a site
 * that answers 401 without them and echoes the URL's key in its links and text, and a byte search
 * for the 52 values of every file of the data directory, every command's output and every API
 * answer about the run (a database backup included); a missing secret, a wrong
 * master key, and altered or moved rows fail before a run exists.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import type http from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { SecretVault } from "../../src/security/index.ts";
import { startServer } from "../../src/server/index.ts";
import { openSqliteStore } from "../../src/store/index.ts";
import { openDatabase } from "../../src/store/database.ts";
import { migrations } from "../../src/store/migrations.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";
import { filesUnder } from "../fixtures/files-under.ts";
import { makeWorkDir, parseJson, runCli, writeText, type CliResult } from "../cli/run-cli.ts";

const TOKEN = "tok-canary-Q7v9XwZ3pL";
const SESSION = "sess-canary-5Kd81mRt";
const PASSWORD = "pw-canary-Jx4hN2cB";
/** The cookie the site's login sets: kept in the scraper's browser session, encrypted. */
const LOGIN_COOKIE = "auth-canary-W6yEz1Pk";
/**
 * Canaries beside them: 46 more secrets the item pages send as headers, set straight into the
 * vault (46 CLI calls would cost half a minute), so that 50 values in all are searched for.
 */
const CANARIES = Array.from({ length: 46 }, (_, i) => [
  `CANARY_${i + 1}`,
  `canary-${i + 1}-${(i * 7919).toString(36)}Zq`,
]);
/** An API key in a start URL's query string, which the site echoes in its links and text. */
const URL_KEY = "urlkey-canary-H3s9Vb2q";
/** A password in a start POST's form. */
const FORM_PASS = "form-canary-T8m2Rk5w";
const VAULT_ONLY = [...CANARIES, ["CANARY_URL_KEY", URL_KEY], ["CANARY_FORM_PASS", FORM_PASS]];
const VALUES = [TOKEN, SESSION, PASSWORD, LOGIN_COOKIE, ...VAULT_ONLY.map(([, value]) => value!)];

/** What reached the site: each page's headers, and the password the login form posted. */
const seen = new Map<string, http.IncomingHttpHeaders>();
let postedPassword: string | undefined;
let logins = 0;

function page(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<html><body>${body}</body></html>`);
}

/** 401 unless the request carries the bearer token and the session cookie. */
function guarded(body: string) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.set(req.url!, req.headers);
    const ok =
      req.headers.authorization === `Bearer ${TOKEN}` && req.headers.cookie?.includes(`session=${SESSION}`);
    page(res, ok ? 200 : 401, ok ? body : "<h1>401</h1>");
  };
}

const routes = {
  "/vault/login": (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== "POST") {
      // A kept session shows the logged-in mark at once: no login, no password.
      if (req.headers.cookie?.includes(`auth=${LOGIN_COOKIE}`)) return page(res, 200, `<p class="in">in</p>`);
      return page(
        res,
        200,
        `<form method="post" action="/vault/login"><input type="password" id="pw" name="pw"><button type="submit">go</button></form>`,
      );
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      postedPassword = new URLSearchParams(body).get("pw") ?? undefined;
      logins++;
      if (postedPassword !== PASSWORD) return page(res, 403, "no");
      // Only the login page gets the cookie back: the list page checks the definition's own.
      res.setHeader("set-cookie", `auth=${LOGIN_COOKIE}; Path=/vault/login; HttpOnly`);
      page(res, 200, `<p class="in">in</p>`);
    });
  },
  "/vault/list": guarded(
    `<a class="item" href="/vault/item/1">1</a><a class="item" href="/vault/item/2">2</a>`,
  ),
  "/vault/feed": (req: http.IncomingMessage, res: http.ServerResponse) => {
    const key = new URL(req.url!, "http://x").searchParams.get("key");
    if (key !== URL_KEY) return page(res, 401, "<h1>401</h1>");
    page(res, 200, `<p>key ${key}</p><a class="item" href="/vault/item/3?key=${key}">3</a>`);
  },
  "/vault/search": (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (new URLSearchParams(body).get("pass") !== FORM_PASS) return page(res, 403, "no");
      page(res, 200, `<a class="item" href="/vault/item/4">4</a>`);
    });
  },
  "/vault/item/3": (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.set("/vault/item/3", req.headers);
    const key = new URL(req.url!, "http://x").searchParams.get("key");
    page(res, key === URL_KEY ? 200 : 401, `<h1>Key ${key}</h1>`);
  },
  "/vault/item/4": guarded(`<h1>Dial</h1>`),
  "/vault/item/1": guarded(`<h1>Anchor</h1>`),
  "/vault/item/2": guarded(`<h1>Bell</h1>`),
};

let site: FaultSite;
let dir: string;
let home: string;
/** stdout and stderr of every command, searched for the values at the end. */
const outputs: string[] = [];

async function trawl(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = await runCli(args, { home, timeoutMs: 60_000, ...options });
  outputs.push(result.stdout, result.stderr);
  return result;
}

function errorOf(result: CliResult): { code: string; message: string } {
  return parseJson<{ error: { code: string; message: string } }>(result).error;
}

async function runCount(): Promise<number> {
  return parseJson<{ runs: unknown[] }>(await trawl(["runs", "--json"])).runs.length;
}

function scraperYaml(name: string, token = "{{ secret.API_TOKEN }}"): string {
  return `name: ${name}
start:
  - ${site.url}/vault/list
  - ${site.url}/vault/feed?key={{ secret.CANARY_URL_KEY }}
  - { url: ${site.url}/vault/search, method: POST, form: { q: books, pass: "{{ secret.CANARY_FORM_PASS }}" } }
headers:
  Authorization: "Bearer ${token}"
cookies:
  session: "{{ secret.SESSION_ID }}"
browser:
  login:
    url: ${site.url}/vault/login
    actions:
      - fill: { selector: "#pw", value: "{{ secret.SITE_PASSWORD }}" }
      - click: button[type=submit]
    logged_in: .in
record: true
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    engine: browser
    record: { title: h1 }
    headers:
${CANARIES.map(([name]) => `      X-${name}: "{{ secret.${name} }}"`).join("\n")}
politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 10s }
`;
}

/** The API's answers about the data directory and the run: every list, the run, its captures' bodies, its exports. */
async function apiResponses(runId: string): Promise<[string, string][]> {
  const app = await App.open({ home });
  const server = await startServer({ app, port: 0, uiDir: null, scheduler: false, healthSampleMs: 0 });
  /** A GET's body; a capture without a body (an action) answers 404, every other path 200. */
  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`, {
      headers: { authorization: `Bearer ${server.accessToken}` },
    });
    if (!path.endsWith("/body")) expect(response.status, path).toBe(200);
    return response.text();
  };
  try {
    const captures = JSON.parse(await get(`/api/runs/${runId}/captures?limit=500`)) as {
      captures: { id: number }[];
    };
    const paths = [
      ...[
        "/api/health",
        "/api/runs",
        "/api/activity",
        "/api/errors",
        "/api/audit",
        "/api/secrets",
        "/api/sessions",
      ],
      ...["", "/logs", "/records", "/recording.warc", "/recording.har"].map(
        (tail) => `/api/runs/${runId}${tail}`,
      ),
      ...captures.captures.map((capture) => `/api/runs/${runId}/captures/${capture.id}/body`),
    ];
    expect(paths.length).toBeGreaterThan(15);
    const answers: [string, string][] = [];
    for (const path of paths) answers.push([path, await get(path)]);
    return answers;
  } finally {
    await server.close();
    await app.close();
  }
}

beforeAll(async () => {
  site = await startFaultSite({ routes });
  ({ dir, home } = await makeWorkDir());
});

afterAll(async () => {
  await site?.close();
});

describe("trawl secrets", () => {
  it("sets from stdin, lists names and dates only, changes, removes", async () => {
    const set = await trawl(["secrets", "set", "API_TOKEN", "--json"], { input: `${TOKEN}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(parseJson(set)).toEqual({ name: "API_TOKEN", created: true });
    for (const [name, value] of [
      ["SESSION_ID", SESSION],
      ["SITE_PASSWORD", PASSWORD],
      ["temp-1", "x"],
    ]) {
      expect((await trawl(["secrets", "set", name!], { input: value })).code).toBe(0);
    }
    const again = await trawl(["secrets", "set", "API_TOKEN", "--json"], { input: TOKEN });
    expect(parseJson(again)).toEqual({ name: "API_TOKEN", created: false });

    const list = parseJson<{ secrets: { name: string; createdAt: string; updatedAt: string }[] }>(
      await trawl(["secrets", "list", "--json"]),
    ).secrets;
    expect(list.map((s) => s.name)).toEqual(["API_TOKEN", "SESSION_ID", "SITE_PASSWORD", "temp-1"]);
    expect(Object.keys(list[0]!).sort()).toEqual(["createdAt", "name", "updatedAt"]);
    expect(Date.parse(list[0]!.updatedAt)).toBeGreaterThan(Date.parse(list[0]!.createdAt));

    expect(parseJson(await trawl(["secrets", "rm", "temp-1", "--json"]))).toEqual({
      name: "temp-1",
      deleted: true,
    });
    const gone = await trawl(["secrets", "rm", "temp-1", "--json"]);
    expect(gone.code).toBe(2);
    expect(errorOf(gone).code).toBe("TRAWL_ERR_SECURITY_SECRET_NOT_FOUND");
    expect((await trawl(["secrets", "list"])).stdout).not.toContain("temp-1");
  });

  it("refuses a value on the command line, a bad name and an empty value (exit 2, nothing stored)", async () => {
    const argv = await trawl(["secrets", "set", "LEAKY", "hunter2", "--json"]);
    expect(argv.code).toBe(2);
    expect(errorOf(argv).code).toBe("TRAWL_ERR_CLI_USAGE");
    expect(errorOf(argv).message).toContain("never taken from the command line");
    const badName = await trawl(["secrets", "set", "1st token", "--json"], { input: "x" });
    expect(badName.code).toBe(2);
    expect(errorOf(badName).code).toBe("TRAWL_ERR_SECURITY_SECRET_NAME");
    const empty = await trawl(["secrets", "set", "EMPTY", "--json"], { input: "\n" });
    expect(empty.code).toBe(2);
    expect(errorOf(empty).code).toBe("TRAWL_ERR_SECURITY_SECRET_VALUE");
    const names = parseJson<{ secrets: { name: string }[] }>(await trawl(["secrets", "list", "--json"]));
    expect(names.secrets.map((s) => s.name)).toEqual(["API_TOKEN", "SESSION_ID", "SITE_PASSWORD"]);
  });

  it("keeps the master key in a file only its owner can read", () => {
    expect(statSync(join(home, "keys")).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, "keys", "master.key")).mode & 0o777).toBe(0o600);
  });
});

describe("{{ secret.NAME }} in a recorded run", () => {
  let runId: string;

  it("reaches a site that answers 401 without the header, the cookie and the login", async () => {
    const store = openSqliteStore(join(home, "trawl.db"));
    try {
      const vault = new SecretVault({ store: store.secrets, keysDir: join(home, "keys") });
      for (const [name, value] of VAULT_ONLY) await vault.set(name!, value!);
    } finally {
      await store.close();
    }
    const file = await writeText(dir, "vault-shop.yaml", scraperYaml("vault-shop"));
    const run = await trawl(["run", file, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const summary = parseJson<{ id: string; status: string; records: number }>(run);
    expect(summary.status).toBe("succeeded");
    expect(summary.records).toBe(4);
    runId = summary.id;
    expect(postedPassword).toBe(PASSWORD);
    expect(seen.get("/vault/list")!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen.get("/vault/item/2")!.cookie).toBe(`session=${SESSION}`);
    for (const [name, value] of CANARIES)
      expect(seen.get("/vault/item/1")![`x-${name!.toLowerCase()}`]).toBe(value);
    // The link the feed echoed the key in was followed with the key filled in again.
    expect(seen.has("/vault/item/3")).toBe(true);
  }, 90_000);

  it("keeps the browser session encrypted and reuses it in the next run (no second login)", async () => {
    const again = await trawl(["run", join(dir, "vault-shop.yaml"), "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(parseJson<{ records: number }>(again).records).toBe(4);
    expect(logins).toBe(1);
    const sessions = parseJson<{ sessions: { scraper: string; cookies: number }[] }>(
      await trawl(["sessions", "--json"]),
    ).sessions;
    expect(sessions).toEqual([expect.objectContaining({ scraper: "vault-shop", cookies: 1 })]);
    const file = readFileSync(join(home, "sessions", "vault-shop.json"), "utf8");
    expect(JSON.parse(file)).toEqual({ sealed: 1, nonce: expect.any(String), data: expect.any(String) });
  }, 90_000);

  it("leaves the values in no file of the data directory and no output (logs, summary, WARC, HAR)", async () => {
    const exports = join(home, "exports");
    mkdirSync(exports);
    for (const format of ["warc", "har"]) {
      const out = join(exports, `${runId}.${format}`);
      const exported = await trawl(["export", runId, "--format", format, "--out", out, "--json"]);
      expect(exported.code, exported.stderr).toBe(0);
    }
    await trawl(["show", runId, "--json"]);
    await trawl(["logs", runId, "--json"]);
    await trawl(["runs", "--json"]);
    // The audit log names each secret set, changed, deleted and used by the run; never a value.
    const audit = parseJson<{ entries: { action: string; subject: string; details: object }[] }>(
      await trawl(["audit", "--limit", "500", "--json"]),
    ).entries.filter((entry) => entry.action.startsWith("secret.") && !entry.subject.startsWith("CANARY_"));
    expect(audit.map((entry) => `${entry.action} ${entry.subject}`)).toEqual([
      "secret.created API_TOKEN",
      "secret.created SESSION_ID",
      "secret.created SITE_PASSWORD",
      "secret.created temp-1",
      "secret.changed API_TOKEN",
      "secret.deleted temp-1",
      // Both runs: the first, and the one that reused the session.
      ...["secret.used API_TOKEN", "secret.used SESSION_ID", "secret.used SITE_PASSWORD"],
      ...["secret.used API_TOKEN", "secret.used SESSION_ID", "secret.used SITE_PASSWORD"],
    ]);
    expect(audit[6]!.details).toEqual({ run: runId, scraper: "vault-shop" });
    // The browser's request headers were recorded, masked: the search looks where they would be.
    const har = readFileSync(join(exports, `${runId}.har`), "utf8");
    expect(har).toMatch(/"name":"authorization","value":"(\[redacted\]|Bearer \*\*\*)"/);

    // A backup of the database, as trawl makes one before a migration (VACUUM INTO backups/): of
    // a copy, so that the data directory keeps its schema version for the tests below.
    const copy = join(dir, "migrating");
    mkdirSync(copy);
    for (const name of ["trawl.db", "trawl.db-wal"])
      if (existsSync(join(home, name))) copyFileSync(join(home, name), join(copy, name));
    const latest = migrations.at(-1)!.version;
    openDatabase(join(copy, "trawl.db"), {
      backupDir: join(home, "backups"),
      migrations: [...migrations, { version: latest + 1, name: "a test migration", sql: "SELECT 1" }],
    }).close();

    const files = filesUnder(home);
    const names = files.map((file) => file.slice(home.length + 1));
    expect(names).toEqual(expect.arrayContaining(["trawl.db", "keys/master.key", `exports/${runId}.warc`]));
    expect(names.some((name) => name.startsWith("blobs/"))).toBe(true);
    expect(names.some((name) => name.startsWith(`backups/trawl-v${latest}-`))).toBe(true);
    // The process logs of every command above are searched too.
    expect(names.some((name) => name.startsWith("logs/"))).toBe(true);
    const found: string[] = [];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const value of VALUES) if (bytes.includes(Buffer.from(value))) found.push(`${file}: ${value}`);
    }
    for (const [i, text] of outputs.entries())
      for (const value of VALUES) if (text.includes(value)) found.push(`output ${i}: ${value}`);
    const answers = await apiResponses(runId);
    for (const [path, text] of answers)
      for (const value of VALUES) if (text.includes(value)) found.push(`GET ${path}: ${value}`);
    // The page's text held the key: its record holds the reference instead.
    const records = answers.find(([path]) => path.endsWith("/records"))![1];
    expect(records).toContain("Key {{secret.CANARY_URL_KEY}}");
    expect(found).toEqual([]);
  });
});

describe("a run whose secrets cannot be read does not start", () => {
  it("names a missing secret and the file (exit 2, no run stored)", async () => {
    const before = await runCount();
    const file = await writeText(dir, "missing.yaml", scraperYaml("missing", "{{ secret.NOT_SET }}"));
    const run = await trawl(["run", file, "--json"]);
    expect(run.code).toBe(2);
    const error = errorOf(run);
    expect(error.code).toBe("TRAWL_ERR_FETCH_SECRET_MISSING");
    expect(error.message).toContain("NOT_SET");
    // The file and the line of the header that reads it (line 4 of scraperYaml).
    expect(error.message).toContain(`${file}:7 uses {{ secret.NOT_SET }}`);
    expect(await runCount()).toBe(before);
  });

  it("fails with an authentication error under a wrong master key, never garbage", async () => {
    const { home: other } = await makeWorkDir();
    const keyA = Buffer.alloc(32, 1).toString("base64");
    const keyB = Buffer.alloc(32, 2).toString("base64");
    const set = await runCli(["secrets", "set", "API_TOKEN"], {
      home: other,
      input: TOKEN,
      env: { TRAWL_MASTER_KEY: keyA },
    });
    expect(set.code, set.stderr).toBe(0);
    const file = await writeText(
      dir,
      "wrong-key.yaml",
      scraperYaml("wrong-key").replace(/^cookies:\n.*\n/m, ""),
    );
    for (const env of [{ TRAWL_MASTER_KEY: keyB }, {}] as Record<string, string>[]) {
      const run = await runCli(["run", file, "--json"], { home: other, env });
      expect(run.code).toBe(2);
      expect(errorOf(run).code).toBe("TRAWL_ERR_SECURITY_KEY_AUTH");
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    }
    const runs = parseJson<{ runs: unknown[] }>(await runCli(["runs", "--json"], { home: other }));
    expect(runs.runs).toEqual([]);
    // A malformed key is refused by name, its value not shown.
    const bad = await runCli(["secrets", "list", "--json"], {
      home: other,
      env: { TRAWL_MASTER_KEY: "abc123" },
    });
    expect(bad.code).toBe(2);
    expect(errorOf(bad).code).toBe("TRAWL_ERR_CORE_CONFIG");
    expect(bad.stdout + bad.stderr).not.toContain("abc123");
  });

  it("fails with an authentication error when a row was altered or moved to another name", async () => {
    const file = join(dir, "vault-shop.yaml");
    const db = new Database(join(home, "trawl.db"));
    const row = (name: string) =>
      db.prepare(`SELECT nonce, ciphertext FROM secrets WHERE name = ?`).get(name) as {
        nonce: Buffer;
        ciphertext: Buffer;
      };
    const original = row("API_TOKEN");
    const write = (nonce: Buffer, ciphertext: Buffer) =>
      db
        .prepare(`UPDATE secrets SET nonce = ?, ciphertext = ? WHERE name = 'API_TOKEN'`)
        .run(nonce, ciphertext);
    const flipped = Buffer.from(original.ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    const moved = row("SESSION_ID");
    const before = await runCount();
    try {
      for (const [nonce, ciphertext] of [
        [original.nonce, flipped],
        [moved.nonce, moved.ciphertext],
      ] as const) {
        write(nonce, ciphertext);
        const run = await trawl(["run", file, "--json"]);
        expect(run.code).toBe(1);
        const error = errorOf(run);
        expect(error.code).toBe("TRAWL_ERR_SECURITY_SECRET_AUTH");
        expect(error.message).toContain("API_TOKEN");
      }
    } finally {
      write(original.nonce, original.ciphertext);
      db.close();
    }
    expect(await runCount()).toBe(before);
  });
});
