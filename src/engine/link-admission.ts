/**
 * Which links a page found join the run's queue: normalised, not seen before, within the run's
 * depth and URL-length limits. Links the limits keep out are counted and summed up in one line
 * at the end (a user asks why a page was never fetched).
 */
import type { LogLevel, RequestBody } from "../core/index.ts";
import type { DiscoveredLink, RunLimits } from "../pipeline/index.ts";
import type { NewRequest, QueuedRequest } from "../store/index.ts";
import { SeenUrls } from "./seen-urls.ts";

export class LinkAdmission {
  /** URLs known to be in the queue: links to them never reach the store. */
  private readonly seen = new SeenUrls();
  /** Links not followed in this session, by limit. */
  private readonly unfollowed = { depth: 0, length: 0 };

  constructor(
    private readonly limits: RunLimits,
    /** Normalises a URL; null drops it. Idempotent: a stored URL normalises to itself. */
    private readonly normalizeUrl: (url: string) => string | null,
    private readonly log: (level: LogLevel, message: string) => void,
  ) {}

  /** Notes a request (URL, and body of a POST) the store has queued: links to it are dropped from now on. */
  queued(url: string, body?: RequestBody): void {
    this.seen.add(requestKey(url, body));
  }

  /** The links of a page fetched for `from` that may join the queue, as requests one level deeper. */
  admit(links: DiscoveredLink[], from: QueuedRequest): NewRequest[] {
    const { limits } = this;
    const depth = from.depth + 1;
    if (limits.maxDepth !== undefined && depth > limits.maxDepth) {
      this.unfollowed.depth += links.length;
      return [];
    }
    const accepted: NewRequest[] = [];
    const onPage = new Set<string>();
    for (const link of links) {
      // Known already: most links of a link-heavy site. A stored URL is normalised, and
      // normalising is idempotent, so a link spelled exactly as one needs no normalising.
      if (this.seen.has(requestKey(link.url, link.body))) continue;
      const url = this.normalizeUrl(link.url);
      const key = url && requestKey(url, link.body);
      if (!url || !key || onPage.has(key) || (url !== link.url && this.seen.has(key))) continue;
      onPage.add(key);
      if (url.length > limits.maxUrlLength) {
        this.unfollowed.length += 1;
        this.log(
          "debug",
          `skipped a link longer than max_url_length (${limits.maxUrlLength}): ${url.slice(0, 80)}…`,
        );
        continue;
      }
      accepted.push({
        url,
        pageType: link.page,
        target: from.target,
        depth,
        ...(link.lastmod !== undefined && { lastmod: link.lastmod }),
        ...(link.body !== undefined && { body: link.body }),
      });
    }
    return accepted;
  }

  /** One line for the links the limits kept out of the queue, if any. */
  logUnfollowed(): void {
    const { depth, length } = this.unfollowed;
    const { limits } = this;
    const parts: string[] = [];
    if (depth > 0) parts.push(`${depth} found on pages at max_depth (${limits.maxDepth})`);
    if (length > 0) parts.push(`${length} longer than max_url_length (${limits.maxUrlLength})`);
    if (parts.length > 0) this.log("info", `links not followed: ${parts.join("; ")}`);
  }
}

/**
 * What the seen-set keys a request on: its URL for a GET; URL, body type and body for a POST (two
 * POSTs to one URL with other bodies are two requests, as in the queue). A space never occurs in a
 * serialised URL, so no GET's key is a POST's.
 */
function requestKey(url: string, body: RequestBody | undefined): string {
  return body === undefined ? url : `${url} POST ${body.type} ${body.text}`;
}
