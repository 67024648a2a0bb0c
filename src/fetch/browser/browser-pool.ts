import { freemem, totalmem } from "node:os";
import { chromium, type Browser, type BrowserContext, type Page, type Route } from "playwright-core";
import type { BrowserSettings, LoginSequence } from "../settings.ts";
import { fetchError } from "../errors.ts";
import { FETCH_DEFAULTS } from "../fetch-defaults.ts";
import type { SecretSource } from "../env-template.ts";
import type { CaptureSink } from "../types.ts";
import { locateChromium } from "./locate-chromium.ts";
import { runActions } from "./page-actions.ts";
import { readSession, writeSession, type SessionCipher, type SessionState } from "./session-file.ts";

/** Below this share of free memory, contexts are renewed early (their caches and leaks go with them). */
const LOW_MEMORY = 0.1;
/** Closing a page, a context or the browser never waits longer than this: a hung renderer must not hold a run. */
const CLOSE_WITHIN_MS = 5_000;

/** Settles with `work`'s value, or undefined when it fails or takes longer than `ms`; never rejects. */
function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    work
      .then(
        (value) => resolve(value),
        () => resolve(undefined),
      )
      .finally(() => clearTimeout(timer));
  });
}

/** How a pool keeps its session and reports what it does. */
export interface BrowserPoolOptions {
  /** Cookies and storage are read from and saved to this file (per scraper); none: nothing is kept. */
  sessionFile?: string | undefined;
  /** Encrypts the session file; none: plain JSON. */
  sessionCipher?: SessionCipher | undefined;
  /** Where the login's actions are captured when recording. */
  capture?: CaptureSink | undefined;
  /** Deadline of the login sequence. @defaultValue 30000 */
  timeoutMs?: number;
  /** Answers every request of the pages instead of the network (replay); blocked types stay blocked. */
  route?: ((route: Route) => Promise<void>) | undefined;
  /** The proxy of each new context; none: straight to the sites. */
  proxy?: BrowserProxySource | undefined;
  /** Values of `{{ env.NAME }}`. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** Values of `{{ secret.NAME }}`; none: an action naming a secret fails. */
  secrets?: SecretSource | undefined;
  log?(level: "info" | "warn", message: string): void;
}

/** Where contexts get their proxy: one when a context is made, a new one when it goes stale. */
export interface BrowserProxySource {
  /** The proxy of a new context; `id` is its `scheme://host:port`. */
  pick(): { id: string; server: string; username?: string; password?: string };
  /** Whether a context on proxy `id` must be renewed (the proxy was retired, or moved away from). */
  stale(id: string): boolean;
}

/** The proxy (`scheme://host:port`) of each context that has one. */
const contextProxies = new WeakMap<BrowserContext, string>();

/** The proxy a page of the pool goes through, if any. */
export function proxyOfPage(page: Page): string | undefined {
  return contextProxies.get(page.context());
}

/** The login sequence failed; pages waiting for it fail with reason `login`. */
export class LoginError extends Error {}

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
  /** Cookies and storage every new context starts with: the saved session, then the live one. */
  private session: SessionState | undefined;
  private sessionRead = false;
  private loggedIn: Promise<void> | undefined;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly settings: BrowserSettings,
    private readonly userAgent: string,
    private readonly options: BrowserPoolOptions = {},
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
      if (this.settings.login) await (this.loggedIn ??= this.logIn(context.context, this.settings.login));
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

  /** Saves the session (when the pool has a session file) and closes the browser. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    if (current && this.options.sessionFile) {
      const state = await within(current.context.storageState(), CLOSE_WITHIN_MS);
      if (state) await writeSession(this.options.sessionFile, state, this.options.sessionCipher);
    }
    const browser = this.browser;
    this.browser = undefined;
    const launched = await browser?.catch(() => undefined);
    if (launched) await within(launched.close(), 2 * CLOSE_WITHIN_MS);
  }

  private async slot(): Promise<void> {
    if (this.closed) throw fetchError("TRAWL_ERR_FETCH_BROWSER_CLOSED");
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

  /** The context the next page goes to; renewed (once, whoever asks meanwhile) when it is used up. */
  private async context(): Promise<Context> {
    for (;;) {
      if (this.renewing) {
        await this.renewing;
        continue;
      }
      const current = this.current;
      const lowMemory = freemem() / totalmem() < LOW_MEMORY;
      const proxy = current && contextProxies.get(current.context);
      const stale = proxy !== undefined && this.options.proxy!.stale(proxy);
      if (current && current.served < this.settings.recycleAfter && !lowMemory && !stale) {
        current.served++;
        return current;
      }
      this.renewing = this.renew(current).finally(() => (this.renewing = undefined));
    }
  }

  /**
   * Retires `current` (closed once its last page is done) for a fresh context, which starts with
   * the retiring one's cookies and storage: what a site set while browsing is not lost.
   */
  private async renew(current: Context | undefined): Promise<void> {
    if (current) {
      current.retiring = true;
      this.session = (await within(current.context.storageState(), CLOSE_WITHIN_MS)) ?? this.session;
      if (current.open === 0) await within(current.context.close(), CLOSE_WITHIN_MS);
    }
    this.current = { context: await this.newContext(), served: 0, open: 0, idle: [], retiring: false };
  }

  /**
   * Logs in on a page of `context`, unless a saved session still shows `loggedIn` (or, without
   * that check, unless there is a saved session at all); keeps the resulting session for the
   * contexts that follow and saves it. A failed login fails every page that waits for it.
   */
  private async logIn(context: BrowserContext, login: LoginSequence): Promise<void> {
    const log = this.options.log ?? (() => undefined);
    const restored = this.session !== undefined;
    if (restored && !login.loggedIn) return log("info", "login: reusing the saved session");
    const timeoutMs = this.options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
    const started = Date.now();
    const remaining = () => Math.max(1, timeoutMs - (Date.now() - started));
    const page = await context.newPage();
    try {
      await page.goto(login.url, { timeout: remaining() });
      if (restored && login.loggedIn && (await page.$(login.loggedIn))) {
        return log("info", "login: the saved session is still logged in");
      }
      log("info", `login: signing in at ${login.url}`);
      await runActions(page, login.actions, {
        remaining,
        capture: this.options.capture,
        env: this.options.env,
        secrets: this.options.secrets,
      });
      if (login.loggedIn)
        await page.waitForSelector(login.loggedIn, { state: "attached", timeout: remaining() });
      else await page.waitForLoadState("load", { timeout: remaining() });
      this.session = await context.storageState();
      if (this.options.sessionFile)
        await writeSession(this.options.sessionFile, this.session, this.options.sessionCipher);
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new LoginError(`login at ${login.url} failed: ${message}`);
    } finally {
      await within(page.close(), CLOSE_WITHIN_MS);
    }
  }

  private async newContext(): Promise<BrowserContext> {
    this.browser ??= launch();
    if (!this.sessionRead) {
      this.sessionRead = true;
      if (this.options.sessionFile)
        this.session = await readSession(this.options.sessionFile, this.options.sessionCipher);
    }
    const picked = this.options.proxy?.pick();
    const context = await (
      await this.browser
    ).newContext({
      userAgent: this.userAgent,
      viewport: this.settings.viewport,
      locale: "en-US",
      ...(this.session && { storageState: this.session }),
      ...(picked && {
        proxy: { server: picked.server, username: picked.username, password: picked.password },
      }),
    });
    if (picked) contextProxies.set(context, picked.id);
    // Automation announces itself through navigator.webdriver; sites that check it get nothing.
    await context.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, "webdriver", { get: () => undefined });
    });
    const blocked = new Set<string>(this.settings.block);
    const answer = this.options.route ?? ((route: Route) => route.continue());
    if (blocked.size > 0 || this.options.route) {
      await context.route("**/*", (route) =>
        blocked.has(route.request().resourceType()) ? route.abort() : answer(route),
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
