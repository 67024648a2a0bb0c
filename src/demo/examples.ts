/**
 * Access to the bundled example scrapers (`examples/*.yaml`). They name the demo site (and its
 * proxy) at its default address; {@link readExample} points them at a demo site listening elsewhere.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DemoSite } from "./demo-site.ts";
import { DemoOptionsError } from "./errors.ts";

/** Absolute path of the repository's `examples/` folder. */
export const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));

/** The origin the examples are written against: the demo site's default address. */
export const EXAMPLE_ORIGIN = "http://127.0.0.1:8080";

/**
 * The demo proxy's default address. Examples write it with credentials in between,
 * `http://demo:{{ env.DEMO_PROXY_PASSWORD }}@127.0.0.1:8081`, so its `host:port` is what is replaced.
 */
export const EXAMPLE_PROXY_ORIGIN = "http://127.0.0.1:8081";

/** Where a demo site listens: its URL, and its proxy's (a {@link DemoSite} is one). */
export type ExampleSite = string | Pick<DemoSite, "url" | "proxyUrl">;

/** The example scrapers, by name (file `examples/<name>.yaml`). */
export const EXAMPLE_NAMES = [
  "bookshop",
  "jobs",
  "books-api",
  "bookshop-xpath",
  "books-sitemap",
  "books-feed",
  "books-wishlist",
  "books-search",
  "books-members",
  "books-proxied",
  "books-revisit",
] as const;

/**
 * Absolute path of an example definition, e.g. `examplePath("bookshop")`. Does not check that
 * the file exists.
 * @throws DemoOptionsError when the name is not a plain slug (no paths).
 */
export function examplePath(name: string): string {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name))
    throw new DemoOptionsError(`not an example name: ${JSON.stringify(name)}`);
  return join(EXAMPLES_DIR, `${name}.yaml`);
}

/**
 * The text of an example definition. With `site` (e.g. a demo site started on port 0), every
 * occurrence of {@link EXAMPLE_ORIGIN} is replaced by its URL, and of the `host:port` of
 * {@link EXAMPLE_PROXY_ORIGIN} by its proxy's (given a site, not a bare URL); the rest of the
 * text, including line numbers, is unchanged.
 */
export async function readExample(name: string, site?: ExampleSite): Promise<string> {
  const text = await readFile(examplePath(name), "utf8");
  return site === undefined ? text : pointAt(text, site);
}

/** `text` with the examples' default addresses replaced by those of `site`. */
export function pointAt(text: string, site: ExampleSite): string {
  const { url, proxyUrl } = typeof site === "string" ? { url: site, proxyUrl: undefined } : site;
  const pointed = text.replaceAll(EXAMPLE_ORIGIN, url.replace(/\/+$/, ""));
  if (proxyUrl === undefined) return pointed;
  return pointed.replaceAll(new URL(EXAMPLE_PROXY_ORIGIN).host, new URL(proxyUrl).host);
}
