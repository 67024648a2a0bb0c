/**
 * The diagnostics bundle (issue 16, item 4): 100 canary values planted where a bundle reads
 * (vault secrets, cookies, Authorization headers, tokens in URL query strings, proxy passwords;
 * in run logs, run errors and pause reasons, a schedule's pause reason, the process logs, crash
 * reports) are
 * found nowhere in the zip, and every section is there. Made through `trawl diagnostics` (a real
 * process) and `POST /api/diagnostics` (a real server).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { newSchedule, timingFromFlags } from "../../src/scheduler/index.ts";
import { writeCrashReport } from "../../src/observe/index.ts";
import { loadAccessToken } from "../../src/security/index.ts";
import { parseJson, runCli } from "../cli/run-cli.ts";
import { bearer, serve } from "../server/helpers.ts";

let home: string | undefined;
afterEach(() => {
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
});

const CATEGORIES = ["secret", "cookie", "authorization", "url-token", "proxy-password"] as const;
type Category = (typeof CATEGORIES)[number];

/** 20 canaries per category; the vault's hold characters that URLs percent-encode. */
function canaries(): Record<Category, string[]> {
  const make = (category: Category, i: number) =>
    category === "secret"
      ? `s3cr!t/${i}+${randomBytes(6).toString("hex")}`
      : `cnry${category.replace("-", "")}${i}x${randomBytes(6).toString("hex")}`;
  return Object.fromEntries(
    CATEGORIES.map((category) => [category, Array.from({ length: 20 }, (_, i) => make(category, i))]),
  ) as Record<Category, string[]>;
}

const TOKEN_PARAMS = [
  "token",
  "api_key",
  "access_token",
  "sig",
  "password",
  "key",
  "secret",
  "client_secret",
  "X-Amz-Signature",
  "auth_token",
];

/** The text each canary is planted in: `i` picks a shape, so every shape of a category is used. */
function planted(category: Category, value: string, i: number): string {
  switch (category) {
    case "secret":
      // The vault knows it: found as typed and percent-encoded in a URL under a harmless name.
      return i % 2 === 0
        ? `typed ${value} into #password`
        : `GET https://shop.example/search?q=${encodeURIComponent(value)}&page=2`;
    case "cookie":
      return [`Cookie: sid=${value}; theme=dark`, `set-cookie: id=${value}; Path=/; HttpOnly`][i % 2]!;
    case "authorization":
      return [
        `Authorization: Bearer ${value}`,
        `authorization: Basic ${value}`,
        `Proxy-Authorization: Basic ${value}`,
        `request headers {"accept":"*/*","authorization":"Token ${value}"}`,
        `the API refused bearer ${value} (expired)`,
      ][i % 5]!;
    case "url-token":
      return `fetch failed: https://api.example.com/v1/items?page=2&${TOKEN_PARAMS[i % 10]}=${value}&lang=en`;
    case "proxy-password":
      return i % 2 === 0
        ? `proxy http://user${i}:${value}@proxy${i}.example:8080 refused`
        : `socks5://bob:${encodeURIComponent(value)}@10.0.0.${i}:1080 timed out`;
  }
}

/** A data directory holding the canaries: in the vault, run logs and errors, a schedule, the process logs. */
async function plantCanaries(dir: string) {
  const values = canaries();
  const app = await App.open({ home: dir });
  const accessToken = loadAccessToken(app.paths.accessToken);
  const now = Date.now();
  const texts = CATEGORIES.flatMap((category) => values[category].map((v, i) => planted(category, v, i)));
  for (const [i, value] of values.secret.entries()) await app.secrets.set(`CANARY_${i}`, value);
  const runs = [];
  for (let r = 0; r < 5; r++) {
    const run = await app.store.runs.create(
      {
        scraper: `shop-${r}`,
        source: null,
        definitionHash: "x",
        targets: ["a"],
        steps: [{ name: "crawl", kind: "crawl" }],
        breakpoints: [],
      },
      now + r,
    );
    runs.push(run);
  }
  // Every text in a run log; some in run errors and pause reasons; a few in the process log.
  for (const [i, text] of texts.entries())
    await app.store.logs.append(runs[i % 5]!.id, i % 3 === 0 ? "error" : "warn", text, now + i);
  await app.store.runs.update(runs[0]!.id, { status: "failed", error: texts.slice(0, 50).join("\n") });
  await app.store.runs.update(runs[1]!.id, { status: "paused", pauseReason: texts.slice(50).join("; ") });
  const schedule = await app.store.schedules.create(
    newSchedule(
      { name: "shop-0", source: join(dir, "shop.yaml") },
      timingFromFlags({ every: "1h", tz: "UTC" }, now),
      {},
      now,
    ),
    now,
  );
  await app.store.schedules.update(
    schedule.id,
    { status: "paused", pausedReason: texts.filter((_, i) => i % 7 === 0).join(" | ") },
    now,
  );
  const logs = join(dir, "logs");
  mkdirSync(logs, { recursive: true });
  const lines = texts.map((text, i) =>
    JSON.stringify({
      level: 40,
      time: now + i,
      component: "engine",
      msg: text,
      ...(i % 10 === 0 && { req: { headers: { cookie: text } } }),
    }),
  );
  lines.push(
    JSON.stringify({
      level: 30,
      time: now + 200,
      component: "server",
      msg: `link http://127.0.0.1:7878/?token=${accessToken}`,
    }),
  );
  writeFileSync(join(logs, "serve.2026-12-06.1.log"), `${lines.join("\n")}\n`);
  // Two crash reports: an error quoting what was planted, the log lines before it.
  for (const [n, part] of [texts.slice(0, 50), texts.slice(50)].entries()) {
    const at = new Date(now + n * 1000);
    writeCrashReport(dir, {
      id: `crash-${at.toISOString().replace(/[-:.]/g, "")}-${4000 + n}`,
      at: at.toISOString(),
      kind: "uncaughtException",
      exited: true,
      process: "cli",
      pid: 4000 + n,
      message: part[0]!,
      runIds: [runs[n]!.id],
      error: { name: "Error", message: part[0]!, stack: `Error: ${part.join("\n    at ")}` },
      version: "0.1.0",
      node: process.version,
      platform: "linux x64",
      command: ["run", "shop.yaml"],
      logLines: lines.slice(n * 50, n * 50 + 50),
    });
  }
  await app.close();
  return { values: [...Object.values(values).flat(), accessToken], runs: runs.map((run) => run.id) };
}

/** Every file of a zip, as text. */
function unzipped(zip: Buffer): Record<string, string> {
  return Object.fromEntries(
    Object.entries(unzipSync(new Uint8Array(zip))).map(([name, data]) => [name, strFromU8(data)]),
  );
}

const SECTIONS = [
  "system",
  "config",
  "logs",
  "database",
  "metrics",
  "runs",
  "scheduler",
  "crashes",
  "redaction",
];

/** No canary in any file (as written or percent-encoded), and every section listed with its files. */
function expectClean(files: Record<string, string>, values: readonly string[]) {
  const leaks = values.flatMap((value) =>
    Object.entries(files)
      .filter(([, text]) => text.includes(value) || text.includes(encodeURIComponent(value)))
      .map(([name]) => `${value} in ${name}`),
  );
  expect(leaks).toEqual([]);
  const manifest = JSON.parse(files["manifest.json"]!) as {
    sections: { name: string; status: string; files: string[] }[];
  };
  expect(manifest.sections.map((s) => s.name)).toEqual(SECTIONS);
  for (const section of manifest.sections) {
    expect(section.status, section.name).toBe("ok");
    for (const file of section.files) expect(files[file], file).toBeDefined();
  }
}

describe("the diagnostics bundle", () => {
  it("trawl diagnostics: 100 canaries planted, none in the zip; every section there; the export audited", async () => {
    home = mkdtempSync(join(tmpdir(), "trawl-diagnostics-"));
    const dataDir = join(home, "data");
    const { values, runs } = await plantCanaries(dataDir);
    expect(values).toHaveLength(101);
    const out = join(home, "bundle.zip");
    const result = await runCli(["diagnostics", "--out", out, "--json"], { home: dataDir });
    expect(result.code, result.stderr).toBe(0);
    const summary = parseJson<{
      file: string;
      bytes: number;
      redaction: { removed: { kind: string; count: number }[] };
    }>(result);
    expect(summary.file).toBe(out);
    expect(statSync(out).size).toBe(summary.bytes);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(result.stdout + result.stderr).not.toContain(values[0]);

    const files = unzipped(readFileSync(out));
    expectClean(files, values);
    // What was planted is there, redacted: the runs, their problems, the process log lines.
    const bundledRuns = JSON.parse(files["runs.json"]!) as {
      id: string;
      error: string | null;
      problems: unknown[];
    }[];
    expect(bundledRuns.map((run) => run.id).sort()).toEqual([...runs].sort());
    expect(bundledRuns.find((run) => run.id === runs[0])!.error).toContain("[redacted]");
    expect(files["logs/process.log"]!.trim().split("\n").length).toBeGreaterThanOrEqual(101);
    expect(files["scheduler.json"]).toContain("[redacted]");
    expect(files["database/schema.sql"]).toContain("CREATE TABLE runs");
    expect(JSON.parse(files["database/state.json"]!).integrity).toMatchObject({
      check: "integrity_check",
      ok: true,
    });
    expect(files["metrics.txt"]).toContain("trawl_runs{");
    const crashes = Object.keys(files).filter((name) => name.startsWith("crashes/"));
    expect(crashes).toHaveLength(2);
    expect(JSON.parse(files[crashes[0]!]!).logLines).toHaveLength(50);
    // The report counts each kind planted, never a value.
    const kinds = Object.fromEntries(summary.redaction.removed.map((r) => [r.kind, r.count]));
    expect(Object.keys(kinds).sort()).toEqual([
      "access-token",
      "bearer-credential",
      "credential-header",
      "secret-value",
      "sensitive-field",
      "url-password",
      "url-token",
    ]);

    const app = await App.open({ home: dataDir });
    try {
      const [entry] = await app.audit.list({ action: "diagnostics.exported" });
      expect(entry).toMatchObject({ actor: "cli", action: "diagnostics.exported", subject: out });
    } finally {
      await app.close();
    }
  }, 60_000);

  it("trawl diagnostics into a folder that does not exist: exit 1 with its error, no file, no crash", async () => {
    home = mkdtempSync(join(tmpdir(), "trawl-diagnostics-"));
    const out = join(home, "missing", "bundle.zip");
    const result = await runCli(["diagnostics", "--out", out, "--json"], { home: join(home, "data") });
    expect(result.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe("TRAWL_ERR_OBSERVE_BUNDLE");
    expect(existsSync(join(home, "data", "crashes"))).toBe(false);
  }, 30_000);

  it("POST /api/diagnostics streams the zip as a download, to the token's holder only", async () => {
    const f = await serve();
    const { values } = await plantCanaries(f.app.paths.home);
    const refused = await download(f.server.url, {});
    expect(refused.status).toBe(401);

    const answer = await download(f.server.url, bearer(f.server), "?check=quick");
    expect(answer.status, answer.body.toString()).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/zip");
    expect(answer.headers["content-disposition"]).toMatch(
      /^attachment; filename="trawl-diagnostics-\d{8}-\d{6}\.zip"$/,
    );
    const files = unzipped(answer.body);
    expectClean(files, [...values, f.server.accessToken]);
    expect(JSON.parse(files["database/state.json"]!).integrity).toMatchObject({
      check: "quick_check",
      ok: true,
    });
    const [entry] = await f.app.audit.list({ action: "diagnostics.exported" });
    expect(entry).toMatchObject({ actor: "api", subject: "download" });
  }, 60_000);
});

/** POST /api/diagnostics, the body kept as bytes. */
function download(url: string, headers: Record<string, string>, query = "") {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      const req = http.request(`${url}/api/diagnostics${query}`, { method: "POST", headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on("error", reject);
      req.end();
    },
  );
}
