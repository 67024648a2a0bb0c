import { describe, expect, it } from "vitest";
import { defaultParseThreads } from "./parse-threads.ts";

describe("defaultParseThreads", () => {
  it("takes TRAWL_PARSE_THREADS, refuses anything but a whole number, else derives from the cores", () => {
    expect(defaultParseThreads({ TRAWL_PARSE_THREADS: "3" })).toBe(3);
    expect(defaultParseThreads({ TRAWL_PARSE_THREADS: "0" })).toBe(0);
    const derived = defaultParseThreads({});
    expect(derived).toBeGreaterThanOrEqual(0);
    expect(derived).toBeLessThanOrEqual(4);
    expect(defaultParseThreads({ TRAWL_PARSE_THREADS: " " })).toBe(derived);
    expect(() => defaultParseThreads({ TRAWL_PARSE_THREADS: "lots" })).toThrow(
      /TRAWL_PARSE_THREADS must be a whole number.*"lots"/,
    );
  });

  it("starts none on one core, one on two, one per core beyond two on more, at most 4", () => {
    expect([1, 2, 3, 4, 6, 16].map((cores) => defaultParseThreads({}, cores))).toEqual([0, 1, 1, 2, 4, 4]);
  });
});
