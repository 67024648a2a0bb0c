import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

/**
 * A fault site with a list of `items` links to pages that each answer after `delayMs`: slow
 * enough to pause, stop or cancel a run mid-crawl.
 */
export async function startSlowSite(
  items: number,
  delayMs: number,
  querySuffix: (i: number) => string = () => "",
): Promise<FaultSite> {
  const links = Array.from(
    { length: items },
    (_, i) => `<a class="item" href="/delay/${delayMs}?i=${i}${querySuffix(i)}">${i}</a>`,
  );
  return startFaultSite({
    routes: {
      "/list": (_req, res) => {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(`<html><body>${links.join("\n")}</body></html>`);
      },
    },
  });
}

/** A scraper definition over the slow site: one record per item page, then validate, dedupe, export. */
export function slowSiteYaml(siteUrl: string, concurrency = 4): string {
  return `name: slow
targets:
  - name: main
    start: ${siteUrl}/list
pages:
  list:
    follow:
      - { css: "a.item", page: item }
  item:
    record:
      url: { from: url }
politeness: { concurrency: ${concurrency}, rate_per_host: 1000, robots: ignore, retries: 0 }
steps:
  - validate: { required: [url] }
  - dedupe: { key: url }
  - export: { dataset: items }
`;
}
