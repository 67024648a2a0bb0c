import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findExecutable } from "./find-executable.ts";

const dir = mkdtempSync(join(tmpdir(), "trawl-exec-"));
const empty = mkdtempSync(join(tmpdir(), "trawl-exec-"));
writeFileSync(join(dir, "browser"), "#!/bin/sh\n", { mode: 0o755 });
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe("findExecutable", () => {
  it("looks a name up in PATH's directories in order, and takes a path as it is when it exists", () => {
    const env = { PATH: [empty, dir].join(delimiter) };
    expect(findExecutable("browser", env)).toBe(join(dir, "browser"));
    expect(findExecutable("other", env)).toBeUndefined();
    expect(findExecutable(join(dir, "browser"), {})).toBe(join(dir, "browser"));
    expect(findExecutable(join(empty, "browser"), env)).toBeUndefined();
  });
});
