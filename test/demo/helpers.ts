/** Shared helpers of the demo site tests: start sites that are always closed, fetch and parse pages. */
import { load, type CheerioAPI } from "cheerio/slim";
import { afterEach } from "vitest";
import { startDemoSite, type DemoSite, type DemoSiteOptions } from "../../src/demo/index.ts";

const open: DemoSite[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((site) => site.close()));
});

/** Starts a demo site on a free port; it is closed after the current test. */
export async function startSite(options: DemoSiteOptions = {}): Promise<DemoSite> {
  const site = await startDemoSite({ port: 0, ...options });
  open.push(site);
  return site;
}

/** A fetched page. */
export interface Page {
  status: number;
  headers: Headers;
  text: string;
  $: CheerioAPI;
}

/** GETs `path` (or an absolute URL) without following redirects. */
export async function get(site: DemoSite, path: string): Promise<Page> {
  const response = await fetch(new URL(path, site.url), { redirect: "manual" });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, $: load(text) };
}
