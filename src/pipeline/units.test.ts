import { describe, expect, it } from "vitest";
import { parseDuration, parseSize } from "./units.ts";

describe("units", () => {
  it("parses durations to milliseconds", () => {
    expect([
      parseDuration("250ms"),
      parseDuration("30s"),
      parseDuration("1.5m"),
      parseDuration("2h"),
      parseDuration(42),
    ]).toEqual([250, 30_000, 90_000, 7_200_000, 42]);
    expect(() => parseDuration("10 minutes")).toThrow(RangeError);
  });

  it("parses sizes with binary units", () => {
    expect([
      parseSize("10MB"),
      parseSize("512kb"),
      parseSize("2MiB"),
      parseSize("100"),
      parseSize(7),
    ]).toEqual([10 * 1024 ** 2, 512 * 1024, 2 * 1024 ** 2, 100, 7]);
    expect(() => parseSize("ten")).toThrow(RangeError);
  });
});
