/**
 * End to end: a run over a host that throttles shows that host's rate limiter state (its rate out
 * of its maximum, the 429s it sent, the time its Retry-After waits blocked it) in the API's run
 * summary, in `trawl show` and in the run page's host table. A revisit (`cache: revalidate`)
 * shows beside the run's other request counts how many pages came back 304.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { runCli } from "../cli/run-cli.ts";
import { startFaultSite, type FaultRoute } from "../fixtures/fault-site.ts";
import { useE2e } from "./harness.ts";

let runId: string;
/** The second run of a scraper with cache: revalidate over pages that never change. */
let revisitId: string;

/** A page that is the same every time: an ETag, and 304 to a request naming it. */
const unchanged: FaultRoute = (req, res) => {
  if (req.headers["if-none-match"] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
  res.writeHead(200, { "content-type": "text/html", etag: '"v1"' });
  res.end(req.url === "/same" ? '<a class="item" href="/same/item">item</a>' : "<p>the same</p>");
};

const e2e = useE2e({
  prefix: "trawl-host-limits-e2e-",
  site: () =>
    startFaultSite({
      routes: {
        "/list": (_req, res) => {
          const links = ["/ok?n=1", "/ok?n=2", "/ok?n=3", "/retry-after/1"];
          res.writeHead(200, { "content-type": "text/html" });
          res.end(links.map((href) => `<a class="item" href="${href}">${href}</a>`).join(""));
        },
        "/same": unchanged,
        "/same/item": unchanged,
      },
    }),
  beforeServer: async ({ app, dir, site }) => {
    const file = join(dir, "throttled.yaml");
    // One retry: the first 429 came alone and only blocks; its retry, right after the wait, cuts.
    writeFileSync(
      file,
      `name: throttled
start: ${site.url}/list
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { text: p }
politeness: { robots: ignore, rate_per_host: 50, retries: 1, concurrency: 1 }
`,
    );
    runId = (await app.engine.run(await loadScraper(file))).id;
    const revisit = join(dir, "revisit.yaml");
    writeFileSync(
      revisit,
      `name: revisit
start: ${site.url}/same
pages:
  list:
    follow: [{ css: a.item, page: item }]
  item:
    record: { text: p }
politeness: { robots: ignore, cache: revalidate }
`,
    );
    await app.engine.run(await loadScraper(revisit));
    revisitId = (await app.engine.run(await loadScraper(revisit))).id;
  },
});

const host = () => new URL(e2e.site.url).host;

describe("a host's rate limiter state", () => {
  it("is in the run summary of the API", async () => {
    const response = await e2e.fetch(`/api/runs/${runId}`);
    const summary = (await response.json()) as {
      stats: {
        hosts: Record<string, { rate: number; maxRate: number; throttled: number; blockedMs: number }>;
      };
    };
    const stats = summary.stats.hosts[host()]!;
    expect(stats).toMatchObject({ requests: 6, maxRate: 50, throttled: 2, blockedMs: 2000 });
    expect(stats.rate).toBeLessThan(50);
  });

  it("is in trawl show", async () => {
    const shown = await runCli(["show", runId], { home: join(e2e.dir, "home") });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain("\nhosts:\nhost ");
    const escaped = host().replace(/[.]/g, "\\.");
    expect(shown.stdout).toMatch(new RegExp(`^${escaped}\\s+6\\s+[\\d.]+ of 50\\s+2\\s+2\\.0 s$`, "m"));
  });

  it("is in the run page's host table", async () => {
    const { page, server, shot } = e2e;
    await page.goto(`${server.url}/runs/${runId}`);
    const row = page.getByTestId("host-stats").locator(`[data-host="${host()}"]`);
    await row.waitFor();
    expect(await row.getByTestId("host-rate").textContent()).toMatch(/^[\d.]+ of 50$/);
    expect(await row.getByTestId("host-throttled").textContent()).toBe("2");
    expect(await row.getByTestId("host-blocked").textContent()).toBe("2.0 s");
    expect(await page.getByTestId("stat-not-modified").count()).toBe(0); // no 304s: not shown
    await shot("host-limits");
  });
});

describe("a revisit's pages that came back 304", () => {
  it("are counted beside the run's other requests on the run page", async () => {
    const { page, server } = e2e;
    await page.goto(`${server.url}/runs/${revisitId}`);
    await page.getByTestId("stat-not-modified").waitFor();
    expect(await page.getByTestId("stat-not-modified").textContent()).toBe("2");
    expect(await page.getByTestId("stat-requests").textContent()).toBe("2");
  });
});
