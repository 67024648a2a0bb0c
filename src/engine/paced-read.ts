/**
 * A read that takes at most `share` of the time: after a read that took `t` ms, the next one
 * runs no sooner than `t / share` ms after the first began; calls before then give `undefined`.
 * For reads whose cost grows with the data, such as a shared queue's counts of a big run (183 ms
 * at a million requests on PostgreSQL), asked for every second.
 */
export function pacedRead<T>(
  read: () => Promise<T>,
  share: number,
  now: () => number = () => performance.now(),
): () => Promise<T | undefined> {
  let dueAt = 0;
  return async () => {
    const startedAt = now();
    if (startedAt < dueAt) return undefined;
    const value = await read();
    dueAt = startedAt + (now() - startedAt) / share;
    return value;
  };
}
