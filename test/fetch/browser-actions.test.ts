/**
 * Browser actions, login with secrets from the environment, the session kept between runs, and
 * screenshots of failed pages, through the real engine in the bundled Chromium.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, describeRun } from "../../src/app/index.ts";
import { clearSession, sessionFileOf } from "../../src/fetch/index.ts";
import { readSession } from "../../src/fetch/browser/session-file.ts";
import { loadScraper } from "../../src/pipeline/index.ts";
import { FileBlobStore } from "../../src/store/index.ts";
import { browserRoutes } from "../fixtures/browser-site.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

let dir: string;
let site: FaultSite;
let app: App;
let loginPosts: () => number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-actions-"));
  const fixture = browserRoutes();
  loginPosts = fixture.loginPosts;
  site = await startFaultSite({ routes: fixture.routes });
  app = await App.open({ home: join(dir, "home") });
  process.env.TRAWL_TEST_USER = "ann";
  process.env.TRAWL_TEST_PASS = "s3cret";
}, 60_000);

afterAll(async () => {
  await app?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
  delete process.env.TRAWL_TEST_USER;
  delete process.env.TRAWL_TEST_PASS;
});

async function run(name: string, yaml: string, options: { record?: boolean } = {}) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const scraper = await loadScraper(file);
  const created = await app.engine.create(scraper, options);
  const finished = await app.engine.execute(created.id, scraper);
  const summary = await describeRun(app.store, finished);
  const records: Record<string, unknown>[] = [];
  for await (const r of app.store.records.read(finished.id, 0)) records.push(r as Record<string, unknown>);
  const logs = (await app.store.logs.list(finished.id)).map((line) => line.message).join("\n");
  return { summary, records, logs, runId: finished.id };
}

const polite = `politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 10s }`;

describe("browser actions", () => {
  it("scrolls an infinite list until no new content comes", async () => {
    const { summary, records } = await run(
      "feed",
      `name: feed
start: ${site.url}/feed
engine: browser
pages:
  feed:
    actions:
      - scroll: { until: no_new_content, wait: 1500ms }
    records: { each: li.item, fields: { title: a } }
${polite}`,
    );
    expect(summary.status).toBe("succeeded");
    expect(records.map((r) => r.title)).toEqual(Array.from({ length: 50 }, (_, i) => `Item ${i + 1}`));
  });

  it("fills, selects and presses keys, and reads what the script rendered", async () => {
    const { records } = await run(
      "search",
      `name: search
start: ${site.url}/search
engine: browser
pages:
  search:
    actions:
      - fill: { selector: "#q", value: trawl }
      - select: { selector: "#sort", value: price }
      - press: { selector: "#q", key: Enter }
      - wait: li.hit
    records: { each: li.hit, fields: { hit: {} } }
${polite}`,
    );
    expect(records).toEqual([{ hit: "trawl 1 by price" }, { hit: "trawl 2 by price" }]);
  });
});

const loginScraper = `name: members
start: ${"${SITE}"}/account
engine: browser
browser:
  login:
    url: ${"${SITE}"}/login
    actions:
      - fill: { selector: "#user", value: "{{ env.TRAWL_TEST_USER }}" }
      - fill: { selector: "#pass", value: "{{ env.TRAWL_TEST_PASS }}" }
      - click: button
    logged_in: .welcome
pages:
  account:
    records: { each: li.member, fields: { name: {} } }
${polite}`;

describe("login and the saved session", () => {
  it("logs in once with secrets from the environment, then reuses the session in the next run", async () => {
    const yaml = loginScraper.replaceAll("${SITE}", site.url);
    const first = await run("members", yaml);
    expect(first.summary.status).toBe("succeeded");
    expect(first.records).toEqual([{ name: "Ada" }, { name: "Grace" }]);
    expect(loginPosts()).toBe(1);
    const sessionFile = sessionFileOf(app.paths.sessions, "members");
    expect(statSync(sessionFile).mode & 0o777).toBe(0o600);
    // Cookies are credentials: the file holds them encrypted with the vault's data key.
    expect(readFileSync(sessionFile, "utf8")).not.toContain("valid-7f3a");
    expect(JSON.stringify(await readSession(sessionFile, app.sessionCipher))).toContain("valid-7f3a");

    const second = await run("members", yaml);
    expect(second.records).toEqual([{ name: "Ada" }, { name: "Grace" }]);
    expect(loginPosts()).toBe(1);
    expect(second.logs).toContain("still logged in");

    // The secret is typed, never written: not in logs, not in the stored definition or captures.
    for (const text of [
      first.logs,
      second.logs,
      JSON.stringify(await app.store.captures.list(first.runId)),
    ]) {
      expect(text).not.toContain("s3cret");
    }

    expect(await clearSession(sessionFile)).toBe(true);
    const third = await run("members", yaml);
    expect(third.records).toHaveLength(2);
    expect(loginPosts()).toBe(2);
  });

  it("refuses to start when a variable the actions read is not set, and stores nothing", async () => {
    const file = join(dir, "unset.yaml");
    writeFileSync(
      file,
      loginScraper.replaceAll("${SITE}", site.url).replace("TRAWL_TEST_PASS", "TRAWL_TEST_UNSET"),
    );
    const before = (await app.store.runs.list()).length;
    await expect(app.engine.create(await loadScraper(file))).rejects.toThrow(
      /environment variable TRAWL_TEST_UNSET not set/,
    );
    expect(await app.store.runs.list()).toHaveLength(before);
  });
});

describe("cookies while browsing", () => {
  it("keeps what a site set across context recycling and into the next run", async () => {
    const yaml = `name: visits
start: ${site.url}/visit
engine: browser
browser: { recycle_after: 1, max_pages: 2 }
pages:
  start:
    follow: [{ css: a.check, page: check }]
  check:
    record: { cookie: p.cookie, url: { from: url } }
politeness: { robots: ignore, rate_per_host: 100, retries: 0, concurrency: 2 }`;
    const first = await run("visits", yaml);
    expect(first.records.map((r) => r.cookie)).toEqual(["yes", "yes", "yes", "yes"]);
    const kept = await readSession(sessionFileOf(app.paths.sessions, "visits"), app.sessionCipher);
    expect(JSON.stringify(kept)).toContain("visited");
  });
});

describe("screenshots", () => {
  it("keeps a screenshot of every failed browser page: an error status, an action that cannot be done", async () => {
    const { summary, runId } = await run(
      "failing",
      `name: failing
targets:
  - { name: broken, start: ${site.url}/broken }
  - { name: no-button, start: ${site.url}/search }
engine: browser
pages:
  page:
    actions: [{ click: button.missing }]
    record: { title: h1 }
politeness: { robots: ignore, rate_per_host: 100, retries: 0, timeout: 3s }`,
    );
    expect(summary.targets.map((t) => [t.name, t.errors])).toEqual([
      ["broken", 1],
      ["no-button", 1],
    ]);
    const failures = await app.store.queue.failures(runId);
    expect(failures.map((f) => f.reason).sort()).toEqual(["action", "http_500"]);
    const shots = await app.store.captures.list(runId, { kinds: ["screenshot"] });
    expect(shots.map((s) => s.url).sort()).toEqual([`${site.url}/broken`, `${site.url}/search`]);
    const blobs = new FileBlobStore(app.paths.blobs);
    for (const shot of shots) {
      expect(shot.detail).toMatchObject({ reason: "failed" });
      const png = await blobs.get(shot.blob!);
      expect(png.subarray(1, 4).toString()).toBe("PNG");
    }
  });
});
