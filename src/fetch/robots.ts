/**
 * robots.txt: fetched once per origin (scheme, host, port), cached for the fetcher's lifetime,
 * failures included, and consulted before every request when the scraper obeys robots. With the
 * run's shared politeness, once per origin for all the run's processes: one fetches it, the
 * others read what it kept.
 */
import { setTimeout as sleep } from "node:timers/promises";
import robotsParserModule from "robots-parser";
import { FetchError } from "./errors.ts";
import type { SharedPoliteness, SharedRobotsFile } from "./shared-politeness.ts";
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
  /** Told when a robots.txt could not be read and everything is allowed instead, and (debug) what was read. */
  log?(level: "debug" | "warn", message: string): void;
  /** The run's politeness shared with its other processes; none: this process alone. */
  shared?: SharedPoliteness | undefined;
}

/** How often a process asks again for a robots.txt another process is fetching. */
const SHARED_POLL_MS = 100;

// The package is CommonJS (`module.exports = fn`) but its typings declare an ES default export,
// which NodeNext resolution types as a namespace; at runtime the default import is the function.
type RobotsParser = typeof robotsParserModule.default;
const robotsParser = robotsParserModule as unknown as RobotsParser;
type Robot = ReturnType<RobotsParser>;

/** An origin's parsed rules, with the text they came from (to quote the rule that refused a URL). */
interface Rules {
  robot: Robot;
  body: string;
  /** `body` split into lines, at the first refusal. */
  lines?: string[];
}

/**
 * Answers "may this user agent fetch this URL?". Rules: 2xx → the file's rules; 4xx → allow all
 * (no robots.txt); 5xx or a network failure → allow all and log a warning (stricter crawlers
 * disallow here; the run would otherwise stop on a flaky server). Concurrent first requests to an
 * origin share one fetch.
 */
export class RobotsCache {
  private readonly cache = new Map<string, Promise<Rules | null>>();
  /** The same rules once loaded (null: allow all). */
  private readonly loaded = new Map<string, Rules | null>();

  constructor(private readonly options: RobotsCacheOptions) {}

  /**
   * Whether robots.txt allows `url`, when its origin's file is loaded already; `undefined` while
   * it is not (then use `isAllowed`). Saves a promise per request on the hot path.
   */
  allowedNow(url: string, userAgent: string): boolean | undefined {
    const origin = originOf(url);
    if (!this.loaded.has(origin)) return undefined;
    return this.loaded.get(origin)?.robot.isAllowed(url, productToken(userAgent)) ?? true;
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
    return rules?.robot.isAllowed(url, productToken(userAgent)) ?? true;
  }

  /** Throws a non-retryable `FetchError` with reason `robots` when `url` is disallowed. */
  async assertAllowed(url: string, userAgent: string): Promise<void> {
    if (!(await this.isAllowed(url, userAgent))) throw this.denial(url, userAgent);
  }

  /**
   * The `robots` error of a URL found disallowed, quoting the rule that matched
   * (`line 2 "Disallow: /private"`) once the origin's file is loaded.
   */
  denial(url: string, userAgent: string): FetchError {
    const rules = this.loaded.get(originOf(url));
    const line = rules?.robot.getMatchingLineNumber(url, productToken(userAgent)) ?? -1;
    if (!rules || line < 1) return robotsDenied(url);
    const text = (rules.lines ??= rules.body.split(/\r\n|\r|\n/))[line - 1]?.trim() ?? "";
    return robotsDenied(url, `line ${line} "${text.slice(0, 200)}"`);
  }

  private async load(origin: string): Promise<Rules | null> {
    const robotsUrl = `${origin}/robots.txt`;
    const file = this.options.shared
      ? await this.sharedFile(this.options.shared, origin, robotsUrl)
      : await this.fetchFile(robotsUrl);
    if ("failed" in file) {
      this.options.log?.("warn", `${robotsUrl} could not be fetched (${file.failed}); allowing all`);
      return null;
    }
    if (file.status >= 200 && file.status < 300) {
      this.options.log?.("debug", `${robotsUrl} read (HTTP ${file.status}): obeying it`);
      return { robot: robotsParser(robotsUrl, file.body), body: file.body };
    }
    if (file.status >= 500) this.options.log?.("warn", `${robotsUrl} answered ${file.status}; allowing all`);
    else this.options.log?.("debug", `${robotsUrl} answered ${file.status}: no rules, allowing all`);
    return null;
  }

  /** The file at `robotsUrl`, or why it could not be fetched. */
  private async fetchFile(robotsUrl: string): Promise<SharedRobotsFile> {
    try {
      return await this.options.fetchRobots(robotsUrl);
    } catch (error) {
      return { failed: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The file as one process of the run fetched it: this one, when it claims the fetch. */
  private async sharedFile(
    shared: SharedPoliteness,
    origin: string,
    robotsUrl: string,
  ): Promise<SharedRobotsFile> {
    for (;;) {
      const answer = await shared.robots(origin);
      if (answer === "fetch") return this.fetchAndKeep(shared, origin, robotsUrl);
      if (answer !== "wait") return answer.file;
      await sleep(SHARED_POLL_MS);
    }
  }

  /**
   * Fetches a claimed file and keeps it for the run's other processes. A site that cannot be
   * reached is their answer too; this process's own failure (closing, aborted) is not: the claim
   * goes back, and the next process to ask fetches it.
   */
  private async fetchAndKeep(
    shared: SharedPoliteness,
    origin: string,
    robotsUrl: string,
  ): Promise<SharedRobotsFile> {
    let file: SharedRobotsFile;
    try {
      file = await this.options.fetchRobots(robotsUrl);
    } catch (error) {
      file = { failed: error instanceof Error ? error.message : String(error) };
      if (!(error instanceof FetchError) || error.reason === "aborted") {
        await shared.releaseRobots(origin);
        return file;
      }
    }
    await shared.keepRobots(origin, file);
    return file;
  }
}

/** The `robots` failure of a disallowed URL; `rule` says which (`line 2 "Disallow: /private"`). */
export function robotsDenied(url: string, rule?: string): FetchError {
  const message = `disallowed by robots.txt for ${url}${rule ? `: ${rule}` : ""}`;
  return new FetchError("robots", message, { url, retryable: false });
}

function originOf(url: string): string {
  if (url.startsWith("http://")) return `http://${hostOf(url)}`;
  if (url.startsWith("https://")) return `https://${hostOf(url)}`;
  return new URL(url).origin;
}

function productToken(userAgent: string): string {
  return userAgent.trim().split(/\s+/)[0] || "*";
}
