import { freemem, totalmem } from "node:os";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { BrowserSettings } from "../../pipeline/types.ts";
import { locateChromium } from "./locate-chromium.ts";

/** Below this share of free memory, contexts are renewed early (their caches and leaks go with them). */
const LOW_MEMORY = 0.1;
/** Closing a page, a context or the browser never waits longer than this: a hung renderer must not hold a run. */
const CLOSE_WITHIN_MS = 5_000;

/** Settles when `work` does or after `ms`, whichever comes first; never rejects. */
function within(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    work
      .then(
        () => resolve(),
        () => resolve(),
      )
      .finally(() => clearTimeout(timer));
  });
}

interface Context {
  context: BrowserContext;
  /** Pages loaded in it so far. */
  served: number;
  /** Pages in use. */
  open: number;
  /** Pages that finished their work and can load the next one (a new page costs a renderer). */
  idle: Page[];
  retiring: boolean;
}

/**
 * One headless Chromium with a few contexts: at most `maxPages` pages in use at once, each reused
 * for the next page; a context is retired after `recycleAfter` pages (or when memory runs low) and
 * closed once its last page is done, while a fresh one takes the new pages. The browser starts at
 * the first page.
 */
export class BrowserPool {
  private browser: Promise<Browser> | undefined;
  private current: Context | undefined;
  private open = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly settings: BrowserSettings,
    private readonly userAgent: string,
  ) {}

  /**
   * Runs `work` on a page, waiting for a free slot first. Pages are reused within their context
   * (a page that `work` closed, or that failed, is not); the context goes when it retires.
   */
  async withPage<T>(work: (page: Page) => Promise<T>): Promise<T> {
    await this.slot();
    let context: Context | undefined;
    let page: Page | undefined;
    let reusable = false;
    try {
      context = await this.context();
      context.open++;
      page = context.idle.pop() ?? (await context.context.newPage());
      const result = await work(page);
      reusable = !page.isClosed();
      return result;
    } finally {
      if (context) {
        context.open--;
        if (page && reusable && !context.retiring) context.idle.push(page);
        else if (page) await within(page.close(), CLOSE_WITHIN_MS);
        if (context.retiring && context.open === 0) await within(context.context.close(), CLOSE_WITHIN_MS);
      }
      this.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    const launched = await browser?.catch(() => undefined);
    if (launched) await within(launched.close(), 2 * CLOSE_WITHIN_MS);
  }

  private async slot(): Promise<void> {
    if (this.closed) throw new Error("the browser pool is closed");
    if (this.open < this.settings.maxPages) {
      this.open++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.open--;
  }

  private async context(): Promise<Context> {
    const current = this.current;
    const lowMemory = freemem() / totalmem() < LOW_MEMORY;
    if (current && current.served < this.settings.recycleAfter && !lowMemory) {
      current.served++;
      return current;
    }
    if (current) {
      current.retiring = true;
      if (current.open === 0) await within(current.context.close(), CLOSE_WITHIN_MS);
    }
    const fresh: Context = {
      context: await this.newContext(),
      served: 1,
      open: 0,
      idle: [],
      retiring: false,
    };
    this.current = fresh;
    return fresh;
  }

  private async newContext(): Promise<BrowserContext> {
    this.browser ??= launch();
    const context = await (
      await this.browser
    ).newContext({
      userAgent: this.userAgent,
      viewport: this.settings.viewport,
      locale: "en-US",
    });
    // Automation announces itself through navigator.webdriver; sites that check it get nothing.
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, "webdriver", { get: () => undefined });
    });
    const blocked = new Set<string>(this.settings.block);
    if (blocked.size > 0) {
      await context.route("**/*", (route) =>
        blocked.has(route.request().resourceType()) ? route.abort() : route.continue(),
      );
    }
    return context;
  }
}

async function launch(): Promise<Browser> {
  const found = await locateChromium();
  return chromium.launch({
    executablePath: found.executablePath,
    env: { ...process.env, ...found.env } as Record<string, string>,
    args: ["--disable-blink-features=AutomationControlled"],
  });
}
