/**
 * The entry of the queue's writer thread (see `WorkerRequestQueue`): owns its own connection to
 * the run database and executes the queue's write methods in the order they arrive. Each call is
 * the very `SqliteRequestQueue` method, so its transaction is exactly the one-thread one; a reply
 * is posted only after the transaction committed.
 */
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { SqliteRequestQueue } from "./sqlite-queue.ts";
import type { QueueCall, QueueReply, QueueWorkerData } from "./queue-protocol.ts";

const { path, busyTimeoutMs } = workerData as QueueWorkerData;
// The main thread opened (and migrated) the database already; WAL mode is a property of the file.
const db = new Database(path, { timeout: busyTimeoutMs });
db.pragma("synchronous = NORMAL");
db.pragma("foreign_keys = ON");
const queue = new SqliteRequestQueue(db);
const port = parentPort!;

// Until this arrives, the main thread executes calls on its own connection.
port.postMessage({ id: 0, ok: true, value: "ready" } satisfies QueueReply);

port.on("message", (call: QueueCall) => {
  if (call.method === "close") {
    db.close();
    port.postMessage({ id: call.id, ok: true, value: undefined } satisfies QueueReply);
    port.close();
    return;
  }
  void execute(call).then((reply) => port.postMessage(reply));
});

async function execute(call: Exclude<QueueCall, { method: "close" }>): Promise<QueueReply> {
  try {
    const method = queue[call.method] as (...args: unknown[]) => Promise<unknown>;
    return { id: call.id, ok: true, value: await method.apply(queue, call.args) };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { id: call.id, ok: false, error: { name: e.name, message: e.message, code: e.code } };
  }
}
