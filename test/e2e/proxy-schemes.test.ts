/**
 * Proxy schemes besides `http://` (issue 14, item 2), through real proxy servers from npm
 * packages in front of the fixture site (proxy-servers.ts):
 * - `socks5://` (`@pondwader/socks5-server`): an HTTP-engine crawl, with and without
 *   username/password auth (the password from the environment; a wrong one is `proxy_auth`), a
 *   refusing SOCKS5 proxy retired with `proxy_refused`, the browser engine (no auth: Chromium
 *   cannot log in to a SOCKS5 proxy), and a site's own TLS failure left to the site;
 * - `https://` (TLS to the proxy; the npm package `proxy` on an `https.Server` with the
 *   self-signed certificate of test-tls.ts): trusted through Node's `NODE_EXTRA_CA_CERTS` (read at
 *   process start, so the crawl runs as a `trawl run` process), and a certificate trawl cannot
 *   trust failing with `proxy_error`, naming the proxy without its credentials, over HTTP and in
 *   the browser.
 */
import https from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeRun, type RunSummary } from "../../src/app/index.ts";
import { runCli } from "../cli/run-cli.ts";
import { useSiteApp } from "../engine/site-app.ts";
import { TEST_TLS_CERT, TEST_TLS_KEY } from "../fixtures/test-tls.ts";
import { closedPort, startProxy, startSocksProxy, type TestProxy } from "./proxy-servers.ts";

const PASSWORD = "s0cks-s3cret-41c9"; // of the SOCKS5 proxy, also sent to the untrusted HTTPS one
const ENV = { TEST_PROXY_PASSWORD: PASSWORD, TEST_PROXY_WRONG: "not-the-password" };

const t = useSiteApp("trawl-proxy-schemes-", {
  routes: {
    "/list": (_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end([1, 2, 3, 4, 5, 6].map((n) => `<a class="item" href="/item?n=${n}">${n}</a>`).join(""));
    },
    "/item": (req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<h1>Item ${new URL(req.url!, "http://x").searchParams.get("n")}</h1>`);
    },
  },
});

const proxies: Record<"socks" | "socksAuth" | "https", TestProxy> = {} as never;

beforeAll(async () => {
  proxies.socks = await startSocksProxy();
  proxies.socksAuth = await startSocksProxy({ username: "scout", password: PASSWORD });
  proxies.https = await startProxy({ tls: true });
  Object.assign(process.env, ENV);
});

afterAll(async () => {
  for (const name of Object.keys(ENV)) delete process.env[name];
  await Promise.all(Object.values(proxies).map((proxy) => proxy?.close()));
});

/** The definition of a crawl of the site's list of six items, with `extra` lines. */
function definition(name: string, extra: string): string {
  return `name: ${name}
start: SITE/list
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { title: h1 }
politeness: { robots: ignore, rate_per_host: 200, concurrency: 1, retries: 3, timeout: 10s }
${extra}
`;
}

/** Runs the crawl in this process. */
async function crawl(name: string, extra: string): Promise<RunSummary> {
  const scraper = await t.scraper(name, definition(name, extra));
  return describeRun(t.app.store, await t.app.engine.run(scraper));
}

/** The six records every crawl of the site should give. */
async function expectSixItems(run: RunSummary): Promise<void> {
  expect(run.status, run.error ?? "").toBe("succeeded");
  const titles = (await t.records(run.id)).map((record) => record.title).sort();
  expect(titles).toEqual([1, 2, 3, 4, 5, 6].map((n) => `Item ${n}`));
}

/** Everything a run shows: its summary, logs and stored row. */
async function shown(run: RunSummary): Promise<string> {
  const logs = await t.app.store.logs.list(run.id, { limit: 10_000 });
  return JSON.stringify([run, logs, await t.app.store.runs.get(run.id)]);
}

describe("socks5:// proxies", () => {
  it("carry an HTTP-engine crawl: the proxy opens the connections to the site", async () => {
    const run = await crawl("socks", `proxy: ${proxies.socks.url}`);
    await expectSixItems(run);
    expect(new Set(proxies.socks.seen)).toEqual(new Set([`CONNECT 127.0.0.1:${new URL(t.site.url).port}`]));
    expect(run.stats.proxies).toEqual({ [proxies.socks.url]: { requests: 7, failures: {} } });
  });

  it("log in with a username and a password from the environment, shown nowhere", async () => {
    const url = proxies.socksAuth.url.replace("//", "//scout:{{ env.TEST_PROXY_PASSWORD }}@");
    const run = await crawl("socks-auth", `proxy: "${url}"`);
    await expectSixItems(run);
    expect(proxies.socksAuth.seen.length).toBeGreaterThan(0);
    expect(run.stats.proxies).toEqual({ [proxies.socksAuth.url]: { requests: 7, failures: {} } });
    expect(await shown(run)).not.toContain(PASSWORD);
  });

  it("tell a refused password by proxy_auth", async () => {
    const seenBefore = proxies.socksAuth.seen.length;
    const url = proxies.socksAuth.url.replace("//", "//scout:{{ env.TEST_PROXY_WRONG }}@");
    const run = await crawl("socks-wrong", `proxy: "${url}"`);
    // One proxy: nothing another attempt could change, so the page fails at once.
    expect(run.status).toBe("failed");
    expect(run.errors).toEqual([
      { reason: "proxy_auth", count: 1, example: expect.stringContaining("/list") },
    ]);
    expect(run.stats.proxies).toEqual({
      [proxies.socksAuth.url]: { requests: 1, failures: { proxy_auth: 1 } },
    });
    expect(proxies.socksAuth.seen.length).toBe(seenBefore);
    expect(await shown(run)).not.toContain(ENV.TEST_PROXY_WRONG);
  });

  it("retire one that refuses, with proxy_refused, and complete through the other", async () => {
    const refusing = `socks5://127.0.0.1:${await closedPort()}`;
    const run = await crawl("socks-refused", `proxies: [${refusing}, ${proxies.socks.url}]`);
    await expectSixItems(run);
    const stats = run.stats.proxies!;
    expect(stats[refusing]).toMatchObject({ requests: 3, failures: { proxy_refused: 3 } });
    expect(stats[refusing]!.retired).toMatch(
      /^proxy_refused: proxy socks5:\/\/127\.0\.0\.1:\d+ failed for \S+: it refused the connection$/,
    );
    expect(stats[proxies.socks.url]).toEqual({ requests: 7, failures: {} });
  });

  it("take the browser engine through the proxy", async () => {
    const seenBefore = proxies.socks.seen.length;
    const run = await crawl("socks-browser", `proxy: ${proxies.socks.url}\nengine: browser`);
    await expectSixItems(run);
    const port = new URL(t.site.url).port;
    expect(proxies.socks.seen.slice(seenBefore)).toContain(`CONNECT 127.0.0.1:${port}`);
    expect(run.stats.proxies![proxies.socks.url]).toMatchObject({ requests: 7, failures: {} });
  });
  it("leave a site's own TLS failure to the site: the proxy is not blamed", async () => {
    // The site's certificate is the test one, which this process does not trust.
    const site = https.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT }, (_req, res) =>
      res.end("<h1>x</h1>"),
    );
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    try {
      const start = `https://127.0.0.1:${(site.address() as AddressInfo).port}/list`;
      const name = "socks-site-tls";
      const yaml = definition(name, `proxy: ${proxies.socks.url}`).replace("SITE/list", start);
      const run = await describeRun(t.app.store, await t.app.engine.run(await t.scraper(name, yaml)));
      expect(run.status).toBe("failed");
      expect(run.errors).toEqual([{ reason: "network", count: 1, example: start }]);
      expect(run.stats.proxies![proxies.socks.url]).toEqual({ requests: 4, failures: { network: 4 } });
    } finally {
      site.closeAllConnections();
      await new Promise((resolve) => site.close(resolve));
    }
  });
});

describe("https:// proxies", () => {
  it("carry a crawl once Node trusts their certificate (NODE_EXTRA_CA_CERTS)", async () => {
    const ca = t.write("test-proxy-ca.pem", TEST_TLS_CERT);
    const file = t.write("https-proxy.yaml", definition("https-proxy", `proxy: ${proxies.https.url}`));
    const result = await runCli(["run", file, "--json"], {
      home: join(t.dir, "cli-home"),
      env: { NODE_EXTRA_CA_CERTS: ca },
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as RunSummary;
    expect(run.records).toBe(6);
    expect(run.stats.proxies).toEqual({ [proxies.https.url]: { requests: 7, failures: {} } });
    expect(proxies.https.seen).toContain(`CONNECT 127.0.0.1:${new URL(t.site.url).port}`);
  });

  it("fail with proxy_error naming the proxy, not its credentials, when its certificate is not trusted", async () => {
    const seenBefore = proxies.https.seen.length;
    const url = proxies.https.url.replace("//", "//scout:{{ env.TEST_PROXY_PASSWORD }}@");
    const run = await crawl("https-untrusted", `proxy: "${url}"`);
    expect(run.status).toBe("failed");
    expect(run.error).toBe(`every proxy is retired: ${proxies.https.url} (proxy_error)`);
    const stats = run.stats.proxies![proxies.https.url]!;
    expect(stats).toMatchObject({ requests: 3, failures: { proxy_error: 3 } });
    expect(stats.retired).toMatch(
      /^proxy_error: proxy https:\/\/127\.0\.0\.1:\d+ failed for \S+: its TLS certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate\)/,
    );
    expect(proxies.https.seen.length).toBe(seenBefore);
    expect(await shown(run)).not.toContain(PASSWORD);
  });

  it("fail browser pages with proxy_error too: Chromium does not read NODE_EXTRA_CA_CERTS", async () => {
    const run = await crawl("https-browser", `proxy: ${proxies.https.url}\nengine: browser`);
    expect(run.status).toBe("failed");
    const stats = run.stats.proxies![proxies.https.url]!;
    expect(stats).toMatchObject({ requests: 3, failures: { proxy_error: 3 } });
    expect(stats.retired).toMatch(/^proxy_error: .*ERR_PROXY_CERTIFICATE_INVALID/);
  });
});
