/**
 * robots.txt: fetched once per origin (scheme, host, port), cached for the fetcher's lifetime,
 * failures included, and consulted before every request when the scraper obeys robots.
 */
import robotsParserModule from "robots-parser";
import { FetchError } from "./errors.ts";
import { hostOf } from "./url.ts";

/** What fetching a robots.txt gave; `status` 0 never occurs (network failures reject). */
export interface RobotsFile {
  status: number;
  body: string;
}

/** Options of {@link RobotsCache}. */
export interface RobotsCacheOptions {
  /** Fetches the robots.txt at `url`; resolves with any status, rejects on network failure. */
  fetchRobots(url: string): Promise<RobotsFile>;
  /** Told when a robots.txt could not be read and everything is allowed instead. */
  log?(level: "warn", message: string): void;
}

// The package is CommonJS (`module.exports = fn`) but its typings declare an ES default export,
// which NodeNext resolution types as a namespace; at runtime the default import is the function.
type RobotsParser = typeof robotsParserModule.default;
const robotsParser = robotsParserModule as unknown as RobotsParser;
type Robot = ReturnType<RobotsParser>;

/**
 * Answers "may this user agent fetch this URL?". Rules: 2xx → the file's rules; 4xx → allow all
 * (no robots.txt); 5xx or a network failure → allow all and log a warning (stricter crawlers
 * disallow here; the run would otherwise stop on a flaky server). Concurrent first requests to an
 * origin share one fetch.
 */
export class RobotsCache {
  private readonly cache = new Map<string, Promise<Robot | null>>();
  /** The same rules once loaded (null: allow all). */
  private readonly loaded = new Map<string, Robot | null>();

  constructor(private readonly options: RobotsCacheOptions) {}

  /**
   * Whether robots.txt allows `url`, when its origin's file is loaded already; `undefined` while
   * it is not (then use `isAllowed`). Saves a promise per request on the hot path.
   */
  allowedNow(url: string, userAgent: string): boolean | undefined {
    const origin = originOf(url);
    if (!this.loaded.has(origin)) return undefined;
    return this.loaded.get(origin)?.isAllowed(url, productToken(userAgent)) ?? true;
  }

  /**
   * Whether `userAgent` may fetch `url`. The user agent is matched on its product token
   * (`trawl/1.0 (+https://…)` matches `User-agent: trawl`), falling back to `*` groups.
   */
  async isAllowed(url: string, userAgent: string): Promise<boolean> {
    const origin = originOf(url);
    let robot = this.cache.get(origin);
    if (!robot) {
      robot = this.load(origin).then((rules) => {
        this.loaded.set(origin, rules);
        return rules;
      });
      this.cache.set(origin, robot);
    }
    const rules = await robot;
    return rules?.isAllowed(url, productToken(userAgent)) ?? true;
  }

  /** Throws a non-retryable `FetchError` with reason `robots` when `url` is disallowed. */
  async assertAllowed(url: string, userAgent: string): Promise<void> {
    if (!(await this.isAllowed(url, userAgent))) throw robotsDenied(url);
  }

  private async load(origin: string): Promise<Robot | null> {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const file = await this.options.fetchRobots(robotsUrl);
      if (file.status >= 200 && file.status < 300) return robotsParser(robotsUrl, file.body);
      if (file.status >= 500)
        this.options.log?.("warn", `${robotsUrl} answered ${file.status}; allowing all`);
      return null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.log?.("warn", `${robotsUrl} could not be fetched (${message}); allowing all`);
      return null;
    }
  }
}

/** The `robots` failure of a disallowed URL. */
export function robotsDenied(url: string): FetchError {
  return new FetchError("robots", `robots.txt disallows ${url}`, { url, retryable: false });
}

function originOf(url: string): string {
  if (url.startsWith("http://")) return `http://${hostOf(url)}`;
  if (url.startsWith("https://")) return `https://${hostOf(url)}`;
  return new URL(url).origin;
}

function productToken(userAgent: string): string {
  return userAgent.trim().split(/\s+/)[0] || "*";
}
