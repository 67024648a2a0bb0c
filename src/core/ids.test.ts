import { describe, expect, it } from "vitest";
import { formatRunId, isRunId, newRunId } from "./ids.ts";

describe("run ids", () => {
  it("have the documented shape", () => {
    expect(formatRunId(Date.UTC(2026, 10, 22, 0, 0, 0), 0)).toBe("RUN-20261122-000000");
    expect(isRunId(newRunId())).toBe(true);
  });

  it("sort by creation time", () => {
    const base = Date.UTC(2026, 10, 22, 12, 0, 0);
    const ids = [0, 100, 5_000, 3_600_000].map((offset) => formatRunId(base + offset, 15 - (offset % 16)));
    expect([...ids].sort()).toEqual(ids);
    expect(formatRunId(Date.UTC(2026, 10, 22, 23, 59, 59, 900), 15)).toBe("RUN-20261122-D2EFFF");
  });
});
