/**
 * The proxies of a run: which one an attempt goes through (the rotation), what each did (its
 * statistics), and retirement: a proxy that fails {@link RETIRE_AFTER} times in a row is taken out,
 * with its reason in the log; once every proxy is retired the run fails.
 */
import { Pool, ProxyAgent, type Dispatcher } from "undici";
import { FetchError, fetchError } from "./errors.ts";
import { isProxyReason, markProxyConnectErrors, proxyFailure } from "./proxy-errors.ts";
import type { SecretSource } from "./env-template.ts";
import { resolveProxy, type ProxyEndpoint, type ProxySettings } from "./proxy-settings.ts";
import type { ProxyStats } from "./types.ts";

/** Proxy failures in a row (no success between them) after which a proxy is retired. */
export const RETIRE_AFTER = 3;

/** One proxy: where it is, its dispatcher (made at its first request) and what it did. */
export interface ProxyEntry {
  readonly endpoint: ProxyEndpoint;
  dispatcher: Dispatcher | undefined;
  requests: number;
  failures: Record<string, number>;
  /** Proxy failures since its last success. */
  failingInARow: number;
  retired: string | undefined;
}

/** How a pool makes dispatchers and reports what it decides. */
export interface ProxyPoolOptions {
  /** Options of each proxy's undici agent (timeouts, connections). */
  agent: Omit<ProxyAgent.Options, "uri" | "token">;
  log?(level: "info" | "warn", message: string): void;
  /** @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** Values of `{{ secret.NAME }}`; none: a proxy URL naming a secret fails. */
  secrets?: SecretSource | undefined;
}

/** A block: the site turned the proxy's address away. */
const BLOCK_STATUSES: ReadonlySet<number> = new Set([403, 429]);

/** The proxies of a fetcher, picked per attempt by the scraper's rotation. */
export class ProxyPool {
  private entries: ProxyEntry[] | undefined;
  /** The next proxy in turn (round-robin, new hosts of sticky_per_host) or the one in use (on_block). */
  private cursor = 0;
  private readonly hosts = new Map<string, ProxyEntry>();

  constructor(
    private readonly settings: ProxySettings,
    private readonly options: ProxyPoolOptions,
  ) {}

  /** The rotation of the pool. */
  get rotate(): ProxySettings["rotate"] {
    return this.settings.rotate;
  }

  /**
   * The proxy the next attempt to `host` goes through.
   *
   * @throws `TRAWL_ERR_FETCH_NO_PROXY_LEFT` once every proxy is retired (the run fails).
   * @throws `TRAWL_ERR_FETCH_ENV_MISSING` when a proxy URL reads a variable that is not set.
   */
  pick(host: string): ProxyEntry {
    const live = this.live();
    if (live.length === 0) throw this.exhausted();
    if (this.settings.rotate === "sticky_per_host") {
      const kept = this.hosts.get(host);
      if (kept && !kept.retired) return kept;
      const entry = this.next();
      this.hosts.set(host, entry);
      return entry;
    }
    if (this.settings.rotate === "on_block") return this.current();
    return this.next();
  }

  /** The proxy `id` (`scheme://host:port`), if the pool has it. */
  byId(id: string): ProxyEntry | undefined {
    return this.all().find((entry) => entry.endpoint.id === id);
  }

  /** A proxy for a browser context: the one in use (on_block), else the next in turn. */
  forBrowser(): ProxyEntry {
    if (this.live().length === 0) throw this.exhausted();
    return this.settings.rotate === "on_block" ? this.current() : this.next();
  }

  /** Whether a browser context on proxy `id` should be renewed: the proxy was retired, or moved away from. */
  stale(id: string): boolean {
    const entry = this.byId(id);
    if (!entry || entry.retired) return true;
    return this.settings.rotate === "on_block" && this.current() !== entry;
  }

  /** Counts an attempt through `entry` that got an answer from the site. */
  succeeded(entry: ProxyEntry, status: number): void {
    entry.requests++;
    entry.failingInARow = 0;
    if (BLOCK_STATUSES.has(status)) this.blocked(entry, `http_${status}`);
  }

  /**
   * Counts a failed attempt through `entry`, moves away from it when the rotation says so, and
   * retires it after {@link RETIRE_AFTER} proxy failures in a row. Returns whether another live
   * proxy is there for a retry.
   */
  failed(entry: ProxyEntry, failure: FetchError, host: string): boolean {
    entry.requests++;
    entry.failures[failure.reason] = (entry.failures[failure.reason] ?? 0) + 1;
    if (isProxyReason(failure.reason)) {
      entry.failingInARow++;
      if (entry.failingInARow >= RETIRE_AFTER && !entry.retired) this.retire(entry, failure);
      this.moveAway(entry, host);
    } else if (failure.status !== undefined && BLOCK_STATUSES.has(failure.status)) {
      this.blocked(entry, failure.reason);
    }
    return this.live().some((other) => other !== entry);
  }

  /**
   * A failed attempt through `entry`: the failure as the retrier should see it (a proxy reason
   * when the proxy is to blame), counted (see {@link failed}). A failure another proxy may fix
   * (credentials it refused, under `on_block` a 403) retries when another live proxy is there.
   */
  judge(entry: ProxyEntry, error: FetchError, host: string): FetchError {
    const failure = proxyFailure(error, entry.endpoint.id);
    const another = this.failed(entry, failure, host);
    const fixable =
      failure.reason === "proxy_auth" || (this.settings.rotate === "on_block" && failure.status === 403);
    if (!another || !fixable) return failure;
    const { reason, message, url, status } = failure;
    return new FetchError(reason, message, {
      cause: failure,
      retryable: true,
      ...(url !== undefined && { url }),
      ...(status !== undefined && { status }),
    });
  }

  /** What each proxy did, in the order the definition lists them. */
  stats(): ProxyStats[] {
    return this.all().map((entry) => ({
      proxy: entry.endpoint.id,
      requests: entry.requests,
      failures: { ...entry.failures },
      ...(entry.retired !== undefined && { retired: entry.retired }),
    }));
  }

  async close(): Promise<void> {
    await Promise.all((this.entries ?? []).map((entry) => entry.dispatcher?.close()));
  }

  /**
   * The dispatcher of `entry`, made at its first request. Its client to the proxy is undici's
   * default (a Pool) with the failures of its connections marked as the proxy's (proxy-errors.ts).
   */
  dispatcher(entry: ProxyEntry): Dispatcher {
    return (entry.dispatcher ??= new ProxyAgent({
      ...this.options.agent,
      uri: entry.endpoint.url,
      clientFactory: (origin, options) => {
        const { connect } = options as { connect: Parameters<typeof markProxyConnectErrors>[0] };
        return new Pool(origin, { ...options, connect: markProxyConnectErrors(connect) });
      },
    }));
  }

  private all(): ProxyEntry[] {
    this.entries ??= this.settings.urls.map((url) => ({
      endpoint: resolveProxy(url, this.options.env, this.options.secrets),
      dispatcher: undefined,
      requests: 0,
      failures: {},
      failingInARow: 0,
      retired: undefined,
    }));
    return this.entries;
  }

  private live(): ProxyEntry[] {
    return this.all().filter((entry) => !entry.retired);
  }

  /** The next live proxy in turn. */
  private next(): ProxyEntry {
    const all = this.all();
    for (let i = 0; i < all.length; i++) {
      const entry = all[(this.cursor + i) % all.length]!;
      if (entry.retired) continue;
      this.cursor = (this.cursor + i + 1) % all.length;
      return entry;
    }
    throw this.exhausted();
  }

  /** on_block: the proxy in use, moving on if it was retired. */
  private current(): ProxyEntry {
    const all = this.all();
    for (let i = 0; i < all.length; i++) {
      const at = (this.cursor + i) % all.length;
      if (all[at]!.retired) continue;
      this.cursor = at;
      return all[at]!;
    }
    throw this.exhausted();
  }

  /** A site blocked the proxy: on_block moves to the next one. */
  private blocked(entry: ProxyEntry, why: string): void {
    if (this.settings.rotate !== "on_block" || this.current() !== entry) return;
    this.cursor = (this.cursor + 1) % this.all().length;
    const next = this.live().length > 0 ? this.current() : undefined;
    if (next && next !== entry)
      this.options.log?.(
        "info",
        `proxy ${entry.endpoint.id} blocked (${why}): moving to ${next.endpoint.id}`,
      );
  }

  /** A proxy failure: on_block moves on; a sticky host goes to another proxy. */
  private moveAway(entry: ProxyEntry, host: string): void {
    if (this.settings.rotate === "on_block" && this.current() === entry) {
      this.cursor = (this.cursor + 1) % this.all().length;
    }
    if (this.hosts.get(host) === entry) this.hosts.delete(host);
  }

  private retire(entry: ProxyEntry, failure: FetchError): void {
    entry.retired = `${failure.reason}: ${failure.message}`;
    const left = this.live().length;
    this.options.log?.(
      "warn",
      `proxy ${entry.endpoint.id} retired after ${RETIRE_AFTER} failures in a row (${entry.retired}); ${left} left`,
    );
  }

  private exhausted() {
    const proxies = this.all()
      .map((entry) => `${entry.endpoint.id} (${entry.retired?.split(":")[0] ?? "live"})`)
      .join(", ");
    return fetchError("TRAWL_ERR_FETCH_NO_PROXY_LEFT", { proxies });
  }
}
