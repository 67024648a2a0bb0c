/**
 * The coordinator of a run on a shared queue reads every process's counts at each heartbeat; at a
 * million requests that read takes 183 ms on PostgreSQL, so it is paced to a share of the time.
 */
import { expect, it } from "vitest";
import { pacedRead } from "../../src/engine/paced-read.ts";

it("reads again only once the last read's cost is a share of the time since it began", async () => {
  let now = 1_000;
  let reads = 0;
  let cost = 200;
  const read = pacedRead(
    async () => {
      now += cost;
      return ++reads;
    },
    0.05,
    () => now,
  );
  expect(await read()).toBe(1); // began at 1,000, took 200 ms: the next is due at 5,000
  now = 4_999;
  expect(await read()).toBeUndefined();
  expect(reads).toBe(1);
  now = 5_000;
  cost = 1; // the read got cheap: due 20 ms after it began
  expect(await read()).toBe(2);
  now = 5_020;
  expect(await read()).toBe(3);
});
