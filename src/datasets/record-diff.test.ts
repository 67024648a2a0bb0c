import { describe, expect, it } from "vitest";
import { diffRecords, MAX_LISTED } from "./record-diff.ts";

describe("diffRecords", () => {
  it("without a key compares record i with record i and says so", () => {
    const a = [{ t: "x" }, { t: "y", p: 1 }, { t: "gone" }];
    const b = [{ t: "x" }, { t: "y", p: 2, n: "new" }];
    const diff = diffRecords(a, b, null);
    expect(diff.match).toBe("position");
    expect(diff.key).toBeNull();
    expect(diff.records.changed).toEqual([
      {
        key: "#2",
        position: 1,
        record: { t: "y", p: 2, n: "new" },
        fields: [
          { field: "p", change: "changed", a: 1, b: 2 },
          { field: "n", change: "added", a: null, b: "new" },
        ],
      },
    ]);
    expect(diff.records.removed).toEqual([{ t: "gone" }]);
    expect(diff.records).toMatchObject({ unchanged: 1, counts: { added: 0, removed: 1, changed: 1 } });
  });

  it("by key matches records wherever they are, and marks removed fields", () => {
    const a = [
      { id: 1, t: "a" },
      { id: 2, t: "b", tag: "x" },
    ];
    const b = [
      { id: 2, t: "b" },
      { id: 3, t: "c" },
      { id: 1, t: "a" },
    ];
    const diff = diffRecords(a, b, ["id"]);
    expect(diff).toMatchObject({ match: "key", key: ["id"], warnings: [] });
    expect(diff.records.changed).toEqual([
      {
        key: "2",
        position: 0,
        record: { id: 2, t: "b" },
        fields: [{ field: "tag", change: "removed", a: "x", b: null }],
      },
    ]);
    expect(diff.records).toMatchObject({ added: [{ id: 3, t: "c" }], removed: [], unchanged: 1 });
  });

  it("never merges records without a key value, nor duplicates of a key, and warns of both", () => {
    // What two scrapers without a shared key look like: none of A's records has B's key.
    const books = Array.from({ length: 118 }, (_, i) => ({ sku: `s${i}` }));
    const jobs = Array.from({ length: 105 }, (_, i) => ({ id: i }));
    const diff = diffRecords(books, jobs, ["id"]);
    expect(diff.records.counts).toEqual({ added: 105, removed: 118, changed: 0 });
    expect(diff.warnings).toEqual([
      "118 of 118 records of A have no value for the key (id): they match nothing and count as removed",
    ]);
    const twice = diffRecords(
      [
        { k: 1, v: "a" },
        { k: 1, v: "b" },
      ],
      [
        { k: 1, v: "a" },
        { k: 1, v: "c" },
        { k: 1, v: "d" },
      ],
      ["k"],
    );
    expect(twice.records.counts).toEqual({ added: 1, removed: 0, changed: 1 });
    expect(twice.warnings).toEqual([
      "1 key value occurs more than once in A: such records are matched in order of occurrence",
      "1 key value occurs more than once in B: such records are matched in order of occurrence",
    ]);
  });

  it("lists at most MAX_LISTED of each kind and counts them all", () => {
    const many = Array.from({ length: MAX_LISTED + 5 }, (_, i) => ({ i }));
    const diff = diffRecords([], many, ["i"]);
    expect(diff.records.added).toHaveLength(MAX_LISTED);
    expect(diff.records.counts.added).toBe(MAX_LISTED + 5);
  });
});
