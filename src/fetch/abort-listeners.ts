/**
 * One `abort` listener per signal, however many requests wait on it: a crawl's requests all share
 * the run's signal, and an EventTarget listener added and removed per request costs more than the
 * request's own bookkeeping.
 */
const listeners = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

/**
 * Calls `callback` (once) when `signal` aborts; at once if it already has. Returns the function
 * that stops listening.
 */
export function onAbort(signal: AbortSignal | undefined, callback: (reason: unknown) => void): () => void {
  if (!signal) return noop;
  if (signal.aborted) {
    callback(signal.reason);
    return noop;
  }
  let callbacks = listeners.get(signal);
  if (!callbacks) {
    const set = new Set<(reason: unknown) => void>();
    callbacks = set;
    listeners.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        listeners.delete(signal);
        for (const fn of [...set]) fn(signal.reason);
      },
      { once: true },
    );
  }
  const set = callbacks;
  set.add(callback);
  return () => set.delete(callback);
}

function noop(): void {}
