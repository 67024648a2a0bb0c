import type { RequestQueue } from "./types.ts";

/** What the queue's writer thread starts with. */
export interface QueueWorkerData {
  path: string;
  busyTimeoutMs: number;
}

/** Queue methods the writer thread executes. */
export type WriteMethod = "enqueue" | "lease" | "reclaim" | "complete" | "completeMany" | "release";

/** A message to the writer thread: one queue call, or the request to close its connection. */
export type QueueCall =
  | { id: number; method: WriteMethod; args: Parameters<RequestQueue[WriteMethod]> }
  | { id: number; method: "close" };

/** The writer thread's answer to the call with the same id. */
export type QueueReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code: string | undefined } };
