/**
 * The set-up every end-to-end test file shares: a temp data directory, an {@link App} on it, the
 * server with the built web app, a fixture site, and the bundled Chromium with one page; all
 * opened in `beforeAll` and closed in `afterAll`. A file calls {@link useE2e} once at its top.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { App } from "../../src/app/index.ts";
import { startServer, type ServerOptions, type TrawlServer } from "../../src/server/index.ts";
import { launchBundledChromium } from "./bundled-browser.ts";
import { E2E_UI_DIR } from "./ui-dir.ts";

/** Where the screenshots of the end-to-end tests go. */
export const ARTIFACTS = join(process.cwd(), "test-artifacts", "e2e");

/** A fixture site the harness closes after the app: anything with a URL and `close()`. */
export interface E2eSite {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
}

/** Options of {@link useE2e}: what differs between the test files. */
export interface E2eOptions<S extends E2eSite | undefined> {
  /** Prefix of the temp data directory's name. @defaultValue `"trawl-e2e-"` */
  prefix?: string;
  /** Starts the file's fixture site (before the app opens); it is closed after the app. */
  site?: () => Promise<S>;
  /**
   * Where the server looks for scrapers: `true` for the temp directory itself, a name for a folder
   * of it (created). Its path is `e2e.scrapers`. @defaultValue none: the server lists no folder
   */
  scraperFolder?: true | string;
  /** Server options besides `app`, `port` (0), `uiDir` and `scraperFolders`. */
  server?: Omit<ServerOptions, "app" | "port" | "uiDir" | "scraperFolders">;
  /**
   * Options of the page, over a 1280×900 viewport. No locale by default: under `LANG=C` the
   * browser reports "en-US@posix", which the app must survive.
   */
  page?: Parameters<Browser["newPage"]>[0];
  /** Runs once the app is open, before the server starts: what happened before anyone looked. */
  beforeServer?: (e2e: E2e<S>) => Promise<void>;
  /** Runs first in `afterAll`, e.g. to answer the requests a site holds so that nothing waits on it. */
  beforeClose?: () => void;
}

/** What {@link useE2e} opens; its fields are filled in by `beforeAll` (read them in hooks and tests). */
export interface E2e<S extends E2eSite | undefined> {
  /** The temp data directory; the app's home is `home/` in it. */
  dir: string;
  /** The folder the server lists scrapers from (see {@link E2eOptions.scraperFolder}), else `dir`. */
  scrapers: string;
  app: App;
  server: TrawlServer;
  site: S;
  browser: Browser;
  page: Page;
  /** `fetch` of a path of the server, with its access token (as a script sends it). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Signs a page's browser context in, through the app's link (the harness's page is signed in). */
  signIn(page: Page): Promise<void>;
  /** Saves a screenshot of `page` (default the harness's, full page) as ARTIFACTS/`name`.png. */
  shot(name: string, options?: { page?: Page; fullPage?: boolean }): Promise<void>;
  /** Waits (up to 20 s) until a run has `status` in `store` (default the app's). */
  waitForRun(id: string, status: string, store?: App["store"]): Promise<void>;
}

/**
 * Registers the file's `beforeAll` (directory, site, app, server, browser, page, in that order)
 * and `afterAll` (the reverse, then the directory removed), and returns the object they fill.
 */
export function useE2e<S extends E2eSite | undefined = undefined>(options: E2eOptions<S> = {}): E2e<S> {
  const e2e = {
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${e2e.server.accessToken}`);
      return fetch(`${e2e.server.url}${path}`, { ...init, headers });
    },
    async signIn(page) {
      await page.goto(e2e.server.link);
    },
    async shot(name, { page = e2e.page, fullPage = true } = {}) {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
    },
    async waitForRun(id, status, store = e2e.app.store) {
      await expect.poll(async () => (await store.runs.get(id))?.status, { timeout: 20_000 }).toBe(status);
    },
  } as E2e<S>;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    e2e.dir = mkdtempSync(join(tmpdir(), options.prefix ?? "trawl-e2e-"));
    const folder = options.scraperFolder;
    e2e.scrapers = typeof folder === "string" ? join(e2e.dir, folder) : e2e.dir;
    if (typeof folder === "string") mkdirSync(e2e.scrapers);
    if (options.site) e2e.site = await options.site();
    e2e.app = await App.open({ home: join(e2e.dir, "home") });
    await options.beforeServer?.(e2e);
    e2e.server = await startServer({
      ...options.server,
      app: e2e.app,
      port: 0,
      uiDir: E2E_UI_DIR,
      ...(folder === undefined ? {} : { scraperFolders: [e2e.scrapers] }),
    });
    e2e.browser = await launchBundledChromium();
    e2e.page = await e2e.browser.newPage({ viewport: { width: 1280, height: 900 }, ...options.page });
    await e2e.signIn(e2e.page);
  }, 120_000);

  afterAll(async () => {
    options.beforeClose?.();
    await e2e.browser?.close();
    await e2e.server?.close();
    await e2e.app?.close();
    await e2e.site?.close();
    if (e2e.dir) rmSync(e2e.dir, { recursive: true, force: true });
  });

  return e2e;
}

/** A fixture site of one request handler: a real node:http server on 127.0.0.1, port 0. */
export async function serveSite(handler: http.RequestListener): Promise<E2eSite> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
