import { describe, expect, it } from "vitest";
import { camelRow } from "./camel-row.ts";

describe("camelRow", () => {
  it("names each column as a camelCase field, in the row's order, values unchanged", () => {
    const row = { run_id: "R1", at: 5, requests_per_second: 1.5, load15: 0.2, detail: null };
    const record = camelRow(row);
    expect(record).toEqual({ runId: "R1", at: 5, requestsPerSecond: 1.5, load15: 0.2, detail: null });
    expect(Object.keys(record)).toEqual(["runId", "at", "requestsPerSecond", "load15", "detail"]);
  });
});
