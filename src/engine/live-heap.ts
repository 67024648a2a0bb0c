/**
 * The main thread's memory in two measures: a cheap upper bound (the heap in use now, garbage
 * not yet collected included) and the live memory (what a full garbage collection leaves).
 * V8 collects the old generation rarely once it has grown (measured: no full collection while a
 * leaking heap went from 44 to 172 MB), so the heap in use overstates what is live by up to
 * several times, and V8's own figures after its collections lag as much. The live measure asks
 * V8 to collect now (`vm.measureMemory` with eager execution: 10–25 ms on a 50–170 MB heap); the
 * governor calls it only to confirm a limit the upper bound says may be over.
 */
import { measureMemory } from "node:vm";

/** Bytes of the main thread's heap in use plus the external memory (buffers) its objects hold. */
export function heapUpperBound(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/**
 * Bytes the main thread keeps alive: its JavaScript heap after a full collection, plus the
 * external memory (buffers) still held once it is done. Should V8 refuse to measure (the API is
 * experimental in Node 20), the upper bound: a limit may then trip on garbage, never crash.
 */
export async function liveHeap(): Promise<number> {
  try {
    const measured = await quietly(() => measureMemory({ mode: "summary", execution: "eager" }));
    return measured.total.jsMemoryEstimate + process.memoryUsage().external;
  } catch {
    return heapUpperBound();
  }
}

/**
 * Calls `measure` without Node's one-time "vm.measureMemory is an experimental feature" warning,
 * which would land in every server's log: the API is stable in V8 and its use here is confined to
 * this file (a change in Node shows in the governor's tests, not in users' logs).
 */
function quietly<T>(measure: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (text.includes("measureMemory")) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return measure();
  } finally {
    process.emitWarning = emit;
  }
}
