/**
 * Proxies (issue 14, item 2), through real HTTP proxy servers (the npm package `proxy`) in front
 * of the fixture site: round-robin splits the requests between two proxies; a proxy that refuses
 * (a closed port) is retired with its reason and the run completes through the other; a proxy
 * that wants credentials gets them from the environment, and the password is in no log line,
 * record or summary; the browser engine goes through a proxy. Per-proxy statistics are in the
 * run summary, `trawl show` and the run page.
 */
import { writeFileSync } from "node:fs";
import type http from "node:http";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeRun, type App, type RunSummary } from "../../src/app/index.ts";
import { compileDefinition, DefinitionError, loadScraper } from "../../src/pipeline/index.ts";
import { runCli } from "../cli/run-cli.ts";
import { startFaultSite } from "../fixtures/fault-site.ts";
import { useE2e } from "./harness.ts";
import { closedPort, startProxy, type TestProxy } from "./proxy-servers.ts";

const PASSWORD = "pr0xy-s3cret-77a1";

const proxies: Record<"a" | "b" | "auth" | "blocked", TestProxy> = {} as never;
let refusing: string;
const runs: Record<
  "split" | "retire" | "auth" | "browser" | "none" | "block" | "sticky" | "noauth",
  RunSummary
> = {} as never;
/** The tunnels each proxy opened during the sticky run. */
const stickyTunnels: Record<"a" | "b", string[]> = { a: [], b: [] };

/** The site turns away requests from 127.0.0.2 (the address of a proxy it has blocked). */
function blocked(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.socket.remoteAddress !== "127.0.0.2") return false;
  res.writeHead(403, { "content-type": "text/html" });
  res.end("<h1>blocked</h1>");
  return true;
}

/** Writes and runs a scraper of the site's list of six items (at `site`, or at each of a YAML list), with `extra` definition lines. */
async function crawl(app: App, dir: string, name: string, site: string, extra: string): Promise<RunSummary> {
  const start = site.startsWith("[") ? site.replace(/(?=[,\]])/g, "/list") : `${site}/list`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
start: ${start}
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { title: h1 }
politeness: { robots: ignore, rate_per_host: 200, concurrency: 1, retries: 3, timeout: 10s }
${extra}
`,
  );
  return describeRun(app.store, await app.engine.run(await loadScraper(file)));
}

const e2e = useE2e({
  prefix: "trawl-proxies-e2e-",
  site: () =>
    startFaultSite({
      routes: {
        "/list": (req, res) => {
          if (blocked(req, res)) return;
          res.writeHead(200, { "content-type": "text/html" });
          res.end([1, 2, 3, 4, 5, 6].map((n) => `<a class="item" href="/item?n=${n}">${n}</a>`).join(""));
        },
        "/item": (req, res) => {
          if (blocked(req, res)) return;
          res.writeHead(200, { "content-type": "text/html" });
          res.end(`<h1>Item ${new URL(req.url!, "http://x").searchParams.get("n")}</h1>`);
        },
      },
    }),
  beforeServer: async ({ app, dir, site }) => {
    proxies.a = await startProxy();
    proxies.b = await startProxy();
    proxies.auth = await startProxy({ credentials: `scout:${PASSWORD}` });
    proxies.blocked = await startProxy({ localAddress: "127.0.0.2" });
    refusing = `http://127.0.0.1:${await closedPort()}`;
    process.env.TEST_PROXY_PASSWORD = PASSWORD;
    const { a, b, auth } = proxies;
    const authUrl = auth.url.replace("//", "//scout:{{ env.TEST_PROXY_PASSWORD }}@");
    runs.split = await crawl(
      app,
      dir,
      "split",
      site.url,
      `proxies: [${a.url}, ${b.url}]\nrotate: round_robin`,
    );
    const before = { a: a.seen.length, b: b.seen.length };
    const hosts = `[${site.url}, ${site.url.replace("127.0.0.1", "localhost")}]`;
    runs.sticky = await crawl(
      app,
      dir,
      "sticky",
      hosts,
      `proxies: [${a.url}, ${b.url}]\nrotate: sticky_per_host`,
    );
    stickyTunnels.a = a.seen.slice(before.a);
    stickyTunnels.b = b.seen.slice(before.b);
    runs.retire = await crawl(app, dir, "retire", site.url, `proxies: [${refusing}, ${b.url}]`);
    runs.block = await crawl(
      app,
      dir,
      "block",
      site.url,
      `proxies: [${proxies.blocked.url}, ${a.url}]\nrotate: on_block`,
    );
    runs.none = await crawl(app, dir, "none", site.url, `proxy: ${refusing}`);
    runs.noauth = await crawl(app, dir, "noauth", site.url, `proxy: ${auth.url}`);
    runs.auth = await crawl(app, dir, "auth", site.url, `proxy: "${authUrl}"`);
    const seenBefore = auth.seen.length;
    runs.browser = await crawl(app, dir, "browser", site.url, `proxy: "${authUrl}"\nengine: browser`);
    browserSeen = auth.seen.slice(seenBefore);
  },
  beforeClose: () => delete process.env.TEST_PROXY_PASSWORD,
});
let browserSeen: string[] = [];

describe("proxies", () => {
  it("round-robin splits the requests between two proxies", () => {
    const { a, b } = proxies;
    expect(runs.split.status, runs.split.error ?? "").toBe("succeeded");
    expect(a.seen.length).toBeGreaterThan(0);
    expect(b.seen.length).toBeGreaterThan(0);
    const stats = runs.split.stats.proxies!;
    // Seven pages, one after the other: 4 through the first proxy, 3 through the second.
    expect(stats[a.url]).toEqual({ requests: 4, failures: {} });
    expect(stats[b.url]).toEqual({ requests: 3, failures: {} });
  });

  it("sticky_per_host: keeps each host on one proxy", () => {
    expect(runs.sticky.status, runs.sticky.error ?? "").toBe("succeeded");
    expect(runs.sticky.records).toBe(12);
    const port = new URL(e2e.site.url).port;
    // Round-robin would tunnel to both hosts through both proxies.
    const tunnels = [new Set(stickyTunnels.a), new Set(stickyTunnels.b)].map((set) => [...set].sort());
    expect(tunnels.flat().sort()).toEqual([`CONNECT 127.0.0.1:${port}`, `CONNECT localhost:${port}`]);
    const { a, b } = proxies;
    expect(runs.sticky.stats.proxies).toEqual({
      [a.url]: { requests: 7, failures: {} },
      [b.url]: { requests: 7, failures: {} },
    });
  });

  it("retires a proxy that refuses, with its reason, and completes through the other", async () => {
    expect(runs.retire.status, runs.retire.error ?? "").toBe("succeeded");
    expect(runs.retire.records).toBe(6);
    const stats = runs.retire.stats.proxies!;
    expect(stats[refusing]).toMatchObject({ requests: 3, failures: { proxy_refused: 3 } });
    expect(stats[refusing]!.retired).toMatch(/^proxy_refused: proxy http:\/\/127\.0\.0\.1:\d+ failed/);
    expect(stats[proxies.b.url]).toEqual({ requests: 7, failures: {} });
    const logs = await e2e.app.store.logs.list(runs.retire.id, { limit: 1000 });
    const retired = logs.filter((line) => /retired after 3 failures in a row/.test(line.message));
    expect(retired.map((line) => [line.level, line.message.split(" (")[0]])).toEqual([
      ["warn", `proxy ${refusing} retired after 3 failures in a row`],
    ]);
  });

  it("on_block: moves to the next proxy when a site blocks one, and retries the page through it", async () => {
    expect(runs.block.status, runs.block.error ?? "").toBe("succeeded");
    expect(runs.block.records).toBe(6);
    expect(runs.block.stats.proxies).toEqual({
      [proxies.blocked.url]: { requests: 1, failures: { http_403: 1 } },
      [proxies.a.url]: { requests: 7, failures: {} },
    });
    const logs = await e2e.app.store.logs.list(runs.block.id, { limit: 1000 });
    expect(logs.map((line) => line.message)).toContain(
      `proxy ${proxies.blocked.url} blocked (http_403): moving to ${proxies.a.url}`,
    );
  });

  it("fails the run once every proxy is retired", () => {
    expect(runs.none.status).toBe("failed");
    expect(runs.none.error).toBe(`every proxy is retired: ${refusing} (proxy_refused)`);
    expect(runs.none.stats.proxies![refusing]).toMatchObject({ requests: 3, retired: expect.any(String) });
  });

  it("tells a proxy that wants credentials (407) by its own reason", () => {
    // One proxy: nothing another attempt could change, so the page fails at once.
    expect(runs.noauth.status).toBe("failed");
    expect(runs.noauth.stats.proxies).toEqual({
      [proxies.auth.url]: { requests: 1, failures: { proxy_auth: 1 } },
    });
    expect(runs.noauth.errors).toEqual([
      {
        reason: "proxy_auth",
        count: 1,
        example: expect.stringContaining("/list"),
      },
    ]);
  });

  it("logs in to a proxy with a password from the environment, which is shown nowhere", async () => {
    expect(runs.auth.status, runs.auth.error ?? "").toBe("succeeded");
    expect(runs.auth.stats.proxies).toEqual({ [proxies.auth.url]: { requests: 7, failures: {} } });
    const texts: string[] = [];
    for (const run of [runs.auth, runs.browser]) {
      const records: unknown[] = [];
      for await (const record of e2e.app.store.records.read(run.id, 0)) records.push(record);
      expect(records).toHaveLength(6);
      texts.push(JSON.stringify(run), JSON.stringify(records));
      texts.push(JSON.stringify(await e2e.app.store.logs.list(run.id, { limit: 10_000 })));
      texts.push(JSON.stringify(await e2e.app.store.runs.get(run.id)));
      const response = await e2e.fetch(`/api/runs/${run.id}`);
      texts.push(await response.text());
    }
    for (const text of texts) expect(text).not.toContain(PASSWORD);
  });

  it("takes the browser engine through the proxy", () => {
    expect(runs.browser.status, runs.browser.error ?? "").toBe("succeeded");
    const host = new URL(e2e.site.url).host;
    // Chromium asks the proxy for plain-HTTP pages by absolute URL.
    expect(browserSeen).toContain(`${e2e.site.url}/list`);
    expect(browserSeen.filter((seen) => seen.includes(host)).length).toBeGreaterThanOrEqual(7);
    expect(runs.browser.stats.proxies![proxies.auth.url]).toMatchObject({ requests: 7, failures: {} });
  });

  it("shows each proxy in trawl show and on the run page", async () => {
    const shown = await runCli(["show", runs.retire.id], { home: join(e2e.dir, "home") });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(
      new RegExp(`^${refusing}\\s+3\\s+proxy_refused 3\\s+retired: proxy_refused`, "m"),
    );
    const { page, server, shot } = e2e;
    await page.goto(`${server.url}/runs/${runs.retire.id}`);
    const row = page.getByTestId("proxy-stats").locator(`[data-proxy="${refusing}"]`);
    await row.waitFor();
    expect(await row.getByTestId("proxy-requests").textContent()).toBe("3");
    expect(await row.getByTestId("proxy-retired").textContent()).toMatch(/^proxy_refused/);
    await shot("proxies");
  });
});

describe("proxy definitions", () => {
  /** The problems of a definition with these top-level keys, as `path: message`. */
  function problems(keys: Record<string, unknown>): string[] {
    const base = { name: "p", start: "https://example.com/", pages: { list: { record: { t: "h1" } } } };
    try {
      compileDefinition({ ...base, ...keys });
      return [];
    } catch (error) {
      if (!(error instanceof DefinitionError)) throw error;
      return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    }
  }

  it("are refused with the field and what is wrong", () => {
    expect(problems({ proxy: "http://scout:hunter2@proxy.example:8080" })).toEqual([
      'proxy: a proxy password must come from the environment or the secrets vault: "{{ env.NAME }}" or "{{ secret.NAME }}", never written in the file',
    ]);
    expect(problems({ proxy: "ftp://proxy.example:21" })).toEqual([
      'proxy: unsupported proxy scheme "ftp:" (use http://, https://, socks5://)',
    ]);
    expect(problems({ proxies: ["http://proxy.example:8080/path"] })).toEqual([
      "proxies.0: a proxy URL is scheme://host:port, without a path, query or fragment",
    ]);
    expect(problems({ proxy: "http://a.example:1", proxies: ["http://b.example:1"] })).toEqual([
      'proxies: give either "proxy" (one) or "proxies" (several, with rotate), not both',
    ]);
    expect(problems({ proxy: "http://a.example:1", rotate: "round_robin" })).toEqual([
      'rotate: rotate spreads requests over "proxies": list them (one proxy is "proxy: URL")',
    ]);
    expect(problems({ proxy: "socks5://u:{{ env.P }}@a.example:1080", engine: "browser" })).toEqual([
      "proxy: the browser engine cannot log in to a SOCKS5 proxy: use an http(s) proxy for browser pages",
    ]);
  });

  it("read their credentials from the environment when the run starts", () => {
    const scraper = compileDefinition({
      name: "p",
      start: "https://example.com/",
      pages: { list: { record: { t: "h1" } } },
      proxies: ["socks5://u:{{ env.SOCKS_PASSWORD }}@a.example", "https://b.example"],
      rotate: "sticky_per_host",
    });
    expect(scraper.proxies).toEqual({
      urls: ["socks5://u:{{ env.SOCKS_PASSWORD }}@a.example", "https://b.example"],
      rotate: "sticky_per_host",
    });
    expect(scraper.envNames).toContain("SOCKS_PASSWORD");
  });
});

afterAll(async () => {
  await Promise.all(Object.values(proxies).map((proxy) => proxy?.close()));
});
