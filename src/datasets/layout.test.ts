import { describe, expect, it } from "vitest";
import { isDatasetName, parseVersionDirName, versionDirName } from "./layout.ts";

describe("dataset names and version directories", () => {
  it("accepts slugs and rejects anything that could leave the datasets folder", () => {
    for (const ok of ["books", "Jobs-2026", "a.b_c", "x".repeat(100)])
      expect(isDatasetName(ok), ok).toBe(true);
    for (const bad of ["", ".", "..", "../x", "a/b", "a\\b", ".tmp-1", "-x", "a..b", "x".repeat(101), "é"]) {
      expect(isDatasetName(bad), bad).toBe(false);
    }
  });

  it("formats and parses version directory names", () => {
    expect(versionDirName(3)).toBe("v000003");
    expect(parseVersionDirName("v000003")).toBe(3);
    expect(parseVersionDirName("v1234567")).toBe(1234567);
    for (const other of ["v3", "current", ".tmp-1-a", "v00000a", "v000003.bak"]) {
      expect(parseVersionDirName(other), other).toBeNull();
    }
  });
});
