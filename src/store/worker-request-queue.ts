import type { Worker } from "node:worker_threads";
import { siblingModule, spawnWorker } from "../core/index.ts";
import type { QueueCall, QueueReply, QueueWorkerData, WriteMethod } from "./queue-protocol.ts";
import type {
  Completion,
  FailureGroup,
  NewRequest,
  QueuedRequest,
  RequestOutcome,
  RequestQueue,
  TargetCounts,
} from "./types.ts";

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The request queue with its writes on a worker thread that owns a second connection to the same
 * WAL database: the crawl's transactions (leases, completions with their records and links) run
 * beside the main thread instead of blocking it. Calls execute in the order they were made, each
 * in the same transaction as `SqliteRequestQueue`'s, and resolve only after it committed; reads
 * (`counts`, `failures`) run on the main connection and see every write that has resolved.
 * The worker starts at the first write, so read-only commands never pay for it.
 */
export class WorkerRequestQueue implements RequestQueue {
  readonly shared = false;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Set when the worker died: every later call fails with it. */
  private broken: Error | undefined;
  private closed = false;
  /** Set when the thread has opened its connection. */
  private ready = false;

  /**
   * @param reads - The main connection's queue: `counts` and `failures`, and every call made
   *   before the thread is ready.
   */
  constructor(
    private readonly data: QueueWorkerData,
    private readonly reads: RequestQueue,
  ) {}

  enqueue(runId: string, requests: NewRequest[], now: number): Promise<number> {
    return this.call("enqueue", [runId, requests, now]) as Promise<number>;
  }

  lease(runId: string, owner: string, limit: number, now: number): Promise<QueuedRequest[]> {
    return this.call("lease", [runId, owner, limit, now]) as Promise<QueuedRequest[]>;
  }

  reclaim(runId: string, now: number): Promise<number> {
    return this.call("reclaim", [runId, now]) as Promise<number>;
  }

  renew(): Promise<number> {
    return Promise.resolve(0);
  }

  unfinished(runId: string): Promise<boolean> {
    return this.reads.unfinished(runId);
  }

  complete(
    runId: string,
    requestId: number,
    outcome: RequestOutcome,
    records: { target: string; data: unknown }[],
    links: NewRequest[],
    now: number,
  ): Promise<number> {
    return this.call("complete", [runId, requestId, outcome, records, links, now]) as Promise<number>;
  }

  completeMany(runId: string, completions: Completion[], now: number): Promise<number[]> {
    return this.call("completeMany", [runId, completions, now]) as Promise<number[]>;
  }

  async release(runId: string, requestIds: number[], now: number): Promise<void> {
    await this.call("release", [runId, requestIds, now]);
  }

  counts(runId: string): Promise<TargetCounts[]> {
    return this.reads.counts(runId);
  }

  failures(runId: string): Promise<FailureGroup[]> {
    return this.reads.failures(runId);
  }

  /** Starts the thread if needed; resolves once calls go to it (tests, warm-up). */
  async started(): Promise<void> {
    this.worker ??= this.start();
    while (!this.ready) {
      if (this.broken) throw this.broken;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Lets every call made so far finish, then closes the worker's connection and ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker || this.broken) return;
    await this.send({ id: this.nextId++, method: "close" });
    await worker.terminate();
  }

  private call(method: WriteMethod, args: unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the request queue is closed"));
    this.worker ??= this.start();
    // While the thread boots (a few hundred ms), the main connection executes the call. Its
    // transaction commits before the call returns, so calls sent to the thread later still run
    // after it.
    if (!this.ready)
      return (this.reads[method] as (...a: unknown[]) => Promise<unknown>).apply(this.reads, args);
    return this.send({ id: this.nextId++, method, args } as QueueCall);
  }

  private send(message: QueueCall): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    const worker = (this.worker ??= this.start());
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      // Referenced only while calls wait, so an idle queue never keeps the process alive.
      if (this.pending.size === 1) worker.ref();
      worker.postMessage(message);
    });
  }

  private start(): Worker {
    const worker = spawnQueueWorker(this.data);
    worker.on("message", (reply: QueueReply) => this.settle(reply));
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) => {
      if (!this.closed || this.pending.size > 0)
        this.fail(new Error(`the queue writer exited (code ${code})`));
    });
    worker.unref();
    return worker;
  }

  private settle(reply: QueueReply): void {
    if (reply.id === 0) {
      this.ready = true;
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(Object.assign(new Error(reply.error.message), reply.error));
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

function spawnQueueWorker(data: QueueWorkerData): Worker {
  return spawnWorker(siblingModule(import.meta.url, "queue-worker"), data);
}
