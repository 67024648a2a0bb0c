import type { Worker } from "node:worker_threads";
import { siblingModule, spawnWorker } from "../core/index.ts";
import { extractPage } from "./compile-page.ts";
import type { DeclarativePage, Extraction, PageInput } from "./types.ts";
import type { ParseReply, ParseTask, ParseWorkerData } from "./parse-protocol.ts";

/**
 * A parse thread keeps one page's DOM alive at a time, so a small young generation is collected
 * often and cheaply; V8's default (up to 48 MB) only held garbage: measured on 20,000 pages, 8 MB
 * cut the thread's heap from 50–80 MB to about 40 MB, with no more CPU.
 */
const PARSE_THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

interface Pending {
  /**
   * Kept to extract it here should the thread die; cleared once answered: V8 may allocate these
   * records in the old generation, and a dead old object still pointing at a page's body kept
   * the body alive through young collections (most page bodies were promoted, measured).
   */
  task: ParseTask | undefined;
  resolve(extraction: Extraction): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  pending: Map<number, Pending>;
}

/**
 * Worker threads that extract the declarative part of pages, so that parsing, the crawl's main
 * CPU cost, runs beside fetching and storing instead of on the same thread. Extraction is a pure
 * function of the page and its spec, so a page's records and links are the same on any thread.
 * A thread that dies hands its unfinished pages back to the main thread; nothing is lost.
 */
export class ParsePool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly pages: Record<string, DeclarativePage>,
    size: number,
  ) {
    const data: ParseWorkerData = { pages };
    for (let i = 0; i < size; i++) this.threads.push(this.start(data));
  }

  /**
   * The extraction of `page` on the least busy ready thread, or `undefined` when no thread is
   * ready (still starting, or gone): then the caller extracts on its own thread.
   */
  extract(pageType: string, page: PageInput): Promise<Extraction> | undefined {
    let best: Thread | undefined;
    for (const thread of this.threads) {
      if (thread.ready && (!best || thread.pending.size < best.pending.size)) best = thread;
    }
    if (!best || this.closed || !this.pages[pageType]) return undefined;
    const thread = best;
    const task: ParseTask = { id: this.nextId++, pageType, page };
    return new Promise<Extraction>((resolve, reject) => {
      thread.pending.set(task.id, { task, resolve, reject });
      if (thread.pending.size === 1) thread.worker.ref();
      thread.worker.postMessage(task);
    });
  }

  /** Ends every thread; pages still being extracted finish on the main thread. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private start(data: ParseWorkerData): Thread {
    const thread: Thread = {
      worker: spawnWorker(siblingModule(import.meta.url, "parse-worker"), data, PARSE_THREAD_LIMITS),
      ready: false,
      pending: new Map(),
    };
    thread.worker.on("message", (reply: ParseReply) => this.settle(thread, reply));
    thread.worker.on("error", () => this.lose(thread));
    thread.worker.on("exit", () => this.lose(thread));
    // Referenced only while pages wait, so an idle pool never keeps the process alive.
    thread.worker.unref();
    return thread;
  }

  private settle(thread: Thread, reply: ParseReply): void {
    if ("ready" in reply) {
      thread.ready = true;
      return;
    }
    const waiting = thread.pending.get(reply.id);
    if (!waiting) return;
    thread.pending.delete(reply.id);
    waiting.task = undefined;
    if (thread.pending.size === 0) thread.worker.unref();
    if (reply.ok) waiting.resolve(reply.extraction);
    else waiting.reject(Object.assign(new Error(reply.error.message), reply.error));
  }

  /** A thread ended or crashed: its pages are extracted here, and it gets no new ones. */
  private lose(thread: Thread): void {
    thread.ready = false;
    const orphans = [...thread.pending.values()];
    thread.pending.clear();
    for (const { task, resolve, reject } of orphans) {
      try {
        // Every page still pending has its task (it is cleared only once answered).
        resolve(extractPage(this.pages[task!.pageType]!, task!.page));
      } catch (error) {
        reject(error as Error);
      }
    }
  }
}
