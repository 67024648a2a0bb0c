/**
 * The entry of a parse thread (see `ParsePool`): extracts the declarative part of pages, the same
 * pure function the crawl would run on the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { InternalError } from "../core/index.ts";
import { extractPage } from "./compile-page.ts";
import type { ParseReply, ParseTask, ParseWorkerData } from "./parse-protocol.ts";

const { pages } = workerData as ParseWorkerData;
const port = parentPort!;

port.on("message", (task: ParseTask) => port.postMessage(extract(task)));
port.postMessage({ id: 0, ready: true } satisfies ParseReply);

function extract({ id, pageType, page }: ParseTask): ParseReply {
  try {
    const spec = pages[pageType];
    if (!spec) throw new InternalError(`page type ${pageType} is not declarative`);
    return { id, ok: true, extraction: extractPage(spec, page) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const reason = (e as { reason?: unknown }).reason;
    const failure = { name: e.name, message: e.message, ...(typeof reason === "string" && { reason }) };
    return { id, ok: false, error: failure };
  }
}
