/**
 * End to end: a run over a host that throttles shows that host's rate limiter state (its rate out
 * of its maximum, the 429s it sent, the time its Retry-After waits blocked it) in the API's run
 * summary, in `trawl show` and in the run page's host table.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScraper } from "../../src/pipeline/index.ts";
import { runCli } from "../cli/run-cli.ts";
import { startFaultSite } from "../fixtures/fault-site.ts";
import { useE2e } from "./harness.ts";

let runId: string;

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
  },
});

const host = () => new URL(e2e.site.url).host;

describe("a host's rate limiter state", () => {
  it("is in the run summary of the API", async () => {
    const response = await fetch(`${e2e.server.url}/api/runs/${runId}`);
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
    await shot("host-limits");
  });
});
