import { endsTheRun, type FetchResponse } from "../fetch/index.ts";
import type { CompiledPage } from "../pipeline/index.ts";
import { PageParser } from "../pipeline/index.ts";
import type { NewRequest, QueuedRequest, RequestOutcome } from "../store/index.ts";
import { CompletionBatch } from "./completion-batch.ts";
import { CrawlLimits } from "./crawl-limits.ts";
import { engineError } from "./errors.ts";
import { failureOf } from "./failure.ts";
import { LinkAdmission } from "./link-admission.ts";
import { reportRequest, retryNoteOf, type RetryNote } from "./request-report.ts";
import { SharedQueueCrawl } from "./shared-queue.ts";
import { enqueueStarts } from "./start-enqueue.ts";
import type { CrawlDeps, CrawlOutcome } from "./crawl-deps.ts";

export type { CrawlDeps, CrawlOutcome } from "./crawl-deps.ts";

/**
 * The crawl: leases requests from the run's queue, fetches them with at most `concurrency`
 * requests in flight, parses them, and finishes each in one transaction with its records and links
 * (DESIGN.md §3.1). A request's slot frees once its response has arrived, so the next request
 * goes out while the page is parsed. What waits in memory is bounded: pages fetched and not yet
 * parsed, at most `concurrency` more than those in flight; completions not yet committed, by the
 * store, which runs calls in order (a lease waits behind every completion handed over before it,
 * so a store that falls behind starves the crawl of requests instead of letting pages pile up).
 * Pause and stop let started requests finish; cancel aborts them.
 */
export class CrawlStep {
  /** Requests started and not yet handed to the store: fetching, or fetched and being parsed. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Of those, the ones whose response has not arrived yet: they take the concurrency's slots. */
  private fetching = 0;
  /** Leased, not started yet (see `take`). */
  private ready: QueuedRequest[] = [];
  /** The lease running in the background, if any. */
  private leasing: Promise<void> | undefined;
  /** `ended` when the last lease that found nothing was issued; -1 before any. */
  private emptyLeaseAfter = -1;
  /** Completions stored in this session; tells the loop whether the queue may have grown. */
  private ended = 0;
  /** Requests handed to the completion batch and not stored yet. */
  private uncommitted = 0;
  /** A storage failure inside a request task; it fails the crawl. */
  private fatal: unknown;
  private readonly parser: PageParser;

  private readonly completions: CompletionBatch;
  private readonly links: LinkAdmission;
  private readonly limits: CrawlLimits;
  /** Set when other processes lease from the same run (see {@link SharedQueueCrawl}). */
  private shared: SharedQueueCrawl | undefined;

  constructor(private readonly deps: CrawlDeps) {
    this.completions = new CompletionBatch(deps.store, deps.runId, () => deps.clock.now());
    this.parser = new PageParser(deps.scraper, {
      threads: deps.parseThreads,
      log: deps.log,
      ...(deps.extractionMemo && { memo: deps.extractionMemo }),
    });
    this.limits = new CrawlLimits(deps);
    this.links = new LinkAdmission(deps.scraper.limits, deps.normalizeUrl, deps.log);
  }

  /** Requests this process holds leased now: ready, in flight, or being stored. */
  get held(): number {
    return this.ready.length + this.inFlight.size + this.uncommitted;
  }

  async run(): Promise<CrawlOutcome> {
    if (this.deps.store.queue.shared) this.shared = new SharedQueueCrawl(this.deps);
    try {
      return await this.crawl();
    } finally {
      this.shared?.close();
      this.links.logUnfollowed();
      await this.parser.close();
      const { reused } = this.parser;
      if (reused > 0)
        this.deps.log(
          "info",
          `cache: revalidate: ${reused} unchanged page(s) not parsed again, their kept records and links reused`,
        );
    }
  }

  private async crawl(): Promise<CrawlOutcome> {
    const { startUrls } = this.deps;
    if (startUrls) await enqueueStarts({ ...this.deps, startUrls }, this.links);
    for (;;) {
      const { controls } = this.deps;
      if (this.fatal) throw this.fatal;
      if (controls.is("cancel")) return "cancelled";
      // Over `max_memory` or `max_cpu`: stop like a user's stop; the session names the limit.
      if (this.deps.governed?.exceeded()) controls.request("stop");
      if (controls.is("pause") || controls.is("stop")) {
        await this.drain();
        await this.releaseReady();
        if (controls.is("pause")) await this.deps.holdWhilePaused();
        if (controls.is("stop")) return "stopped";
        continue;
      }
      const slots = this.freeSlots();
      let batch: QueuedRequest[] = [];
      if (slots > 0 && this.limits.reached()) await this.releaseReady();
      else if (slots > 0) batch = await this.take(slots);
      for (const request of batch) this.launch(request);
      // After the launches, so that `max_pages` counts them.
      if (batch.length > 0) this.leaseAhead();
      const busy = this.inFlight.size + this.uncommitted + this.ready.length;
      if (busy === 0 && !this.leasing) {
        // Done only if a lease issued after every completion was stored found nothing: links
        // stored while an earlier lease ran may have added requests.
        if (this.emptyLeaseAfter === this.ended || this.limits.reached()) {
          if (this.fatal) throw this.fatal;
          // Other processes' pages may still add links: lease again after them.
          if (!this.limits.reached() && (await this.shared?.othersBusy())) {
            this.emptyLeaseAfter = -1;
            continue;
          }
          return controls.is("cancel") ? "cancelled" : "finished";
        }
        continue;
      }
      const idle = batch.length === 0 || this.freeSlots() <= 0;
      if (idle) {
        // Nothing to start: store the finished ones now, their links may be the next requests.
        if (this.freeSlots() > 0) this.completions.hurry();
        await controls.changed();
        // Requests finishing together free their slots together: lease once for all of them.
        await nextTurn();
      }
    }
  }

  /**
   * Requests that may start now: free slots of the concurrency (requests in flight at the
   * servers), as long as started requests (in flight, or fetched and waiting for their parse) stay
   * under twice the concurrency.
   */
  private freeSlots(): number {
    const configured = this.concurrency();
    const concurrency = this.deps.governed?.allowance(configured) ?? configured;
    return Math.min(concurrency - this.fetching, 2 * concurrency - this.inFlight.size);
  }

  /** The concurrency now: the scraper's, or the autoscaler's for `concurrency: auto`. */
  get concurrencyNow(): number {
    return this.deps.autoscaler?.concurrency ?? this.deps.scraper.politeness.concurrency;
  }

  /** The scraper's concurrency, or the autoscaler's for `concurrency: auto`. */
  private concurrency(): number {
    return this.deps.autoscaler?.limit(this.fetching) ?? this.deps.scraper.politeness.concurrency;
  }

  /**
   * The next `slots` requests to start, at most. Leases a whole batch (`concurrency`) at a time
   * and one batch ahead, in the background: one transaction for many requests, and a freed slot
   * rarely waits for the store. Leased requests not started yet are released on pause, stop and
   * limits, and reclaimed on resume after a crash.
   */
  private async take(slots: number): Promise<QueuedRequest[]> {
    if (this.ready.length === 0) {
      this.leaseAhead();
      await this.leasing;
    }
    return this.ready.splice(0, slots);
  }

  /** Starts a lease of one batch unless one is running or enough requests are ready. */
  private leaseAhead(): void {
    const { store, runId, owner, clock, scraper } = this.deps;
    const concurrency = this.concurrency();
    if (this.leasing || this.ready.length >= concurrency || this.limits.reached()) return;
    // Nothing was stored since a lease found the queue empty: it still is.
    if (this.emptyLeaseAfter === this.ended) return;
    const maxPages = scraper.limits.maxPages;
    const room =
      maxPages === undefined
        ? Infinity
        : maxPages -
          this.deps.progress.pagesDone() -
          this.inFlight.size -
          this.uncommitted -
          this.ready.length;
    const want = Math.min(concurrency, room);
    if (want <= 0) return;
    const endedBefore = this.ended;
    this.leasing = store.queue
      .lease(runId, owner, want, clock.now())
      .then(
        (leased) => {
          this.ready.push(...leased);
          if (leased.length === 0) this.emptyLeaseAfter = endedBefore;
        },
        (error: unknown) => {
          this.fatal ??= error;
        },
      )
      .finally(() => {
        this.leasing = undefined;
        this.deps.controls.wake();
      });
  }

  private async releaseReady(): Promise<void> {
    await this.leasing;
    if (this.ready.length === 0) return;
    const ids = this.ready.map((request) => request.id);
    this.ready = [];
    await this.deps.store.queue.release(this.deps.runId, ids, this.deps.clock.now());
  }

  private launch(request: QueuedRequest): void {
    this.deps.progress.started(request.target);
    this.fetching++;
    const task = this.process(request)
      .catch((error: unknown) => {
        this.fatal ??= error;
      })
      .finally(() => {
        this.inFlight.delete(task);
        this.deps.controls.wake();
      });
    this.inFlight.add(task);
  }

  /** Waits until every started request has ended and been stored. */
  private async drain(): Promise<void> {
    while (this.inFlight.size + this.uncommitted > 0) {
      if (this.inFlight.size === 0) this.completions.hurry();
      await this.deps.controls.changed();
    }
  }

  private async process(request: QueuedRequest): Promise<void> {
    const { controls, progress } = this.deps;
    let outcome: RequestOutcome;
    let records: Record<string, unknown>[] = [];
    let links: NewRequest[] = [];
    let retried: RetryNote | undefined;
    try {
      const parsed = await this.fetchAndParse(request);
      outcome = { ok: true, httpStatus: parsed.status };
      records = parsed.records;
      links = this.links.admit(parsed.links, request);
    } catch (error) {
      // Cancelled: the request stays leased; a cancelled run is never resumed.
      if (controls.signal.aborted) return progress.abandoned(request.target);
      // Every proxy retired: the run fails; the request stays leased for a resume.
      if (endsTheRun(error)) {
        this.fatal ??= error;
        controls.wake();
        return progress.abandoned(request.target);
      }
      outcome = { ok: false, ...failureOf(error) };
      retried = retryNoteOf(error);
    }
    this.store(request, outcome, records, links, retried);
  }

  /**
   * Hands a finished request to the completion batch. Its slot frees at once; progress and events
   * follow when the batch is stored (the request stays leased until then, so a crash refetches it).
   */
  private store(
    request: QueuedRequest,
    outcome: RequestOutcome,
    records: object[],
    links: NewRequest[],
    retried?: RetryNote,
  ): void {
    const { progress, controls } = this.deps;
    const rows = records.map((data) => ({ target: request.target, data }));
    this.uncommitted++;
    this.completions
      .add({
        requestId: request.id,
        url: request.url,
        body: request.body,
        outcome,
        records: rows,
        links,
        epoch: request.epoch,
      })
      .then(
        (added) => {
          if (added < 0) return progress.abandoned(request.target);
          // Committed: every one of these links is in the queue now, new or not.
          for (const link of links) this.links.queued(link.url, link.body);
          progress.ended(request.target, outcome.ok, records.length);
          progress.discovered(request.target, added);
          reportRequest(this.deps, request, outcome, { records: records.length, links: added, retried });
        },
        (error: unknown) => {
          this.fatal ??= error;
        },
      )
      .finally(() => {
        this.uncommitted--;
        this.ended++;
        controls.wake();
      });
  }

  private async fetchAndParse(request: QueuedRequest) {
    const page = this.deps.scraper.pages[request.pageType];
    if (!page) {
      this.fetchEnded();
      throw engineError("TRAWL_ERR_ENGINE_UNKNOWN_PAGE_TYPE", { pageType: request.pageType });
    }
    const response = await this.fetch(request, page);
    const output = await this.parser.parse(
      page,
      {
        url: response.url,
        finalUrl: response.finalUrl,
        status: response.status,
        headers: response.headers,
        body: response.body,
        depth: request.depth,
        target: request.target,
        pageType: request.pageType,
        ...(request.lastmod != null && { lastmod: request.lastmod }),
      },
      this.deps.scraperContext,
      response.bodySha256 === undefined
        ? undefined
        : { sha256: response.bodySha256, ...(response.readKeptBody && { read: response.readKeptBody }) },
    );
    this.deps.parsed?.(request.pageType, output);
    return { status: response.status, records: output.records, links: output.links };
  }

  /** Fetches a started request; however that ends, its slot of the concurrency frees. */
  private async fetch(request: QueuedRequest, page: CompiledPage): Promise<FetchResponse> {
    const { fetcher, controls, scraper } = this.deps;
    const headers = scraper.headers?.for(request.target, request.pageType);
    try {
      return await fetcher.fetch({
        url: request.url,
        ...(request.body && { body: request.body }),
        signal: controls.signal,
        ...(headers && { headers }),
        ...(page.load && { browser: page.load }),
        // A page whose extraction may have been kept is read only if it was not.
        ...(this.deps.extractionMemo && page.declarative && { keptBodyOnDemand: true }),
      });
    } finally {
      this.fetchEnded();
    }
  }

  /** A request is no longer in flight at the server: the next one may go out while this page is parsed. */
  private fetchEnded(): void {
    this.fetching--;
    this.deps.controls.wake();
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
