import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

describe("docs/api.md", () => {
  it("documents every error code the server raises itself", () => {
    const docs = readFileSync("docs/api.md", "utf8");
    const codes = new Set(
      sources("src/server").flatMap((file) => readFileSync(file, "utf8").match(/TRAWL_ERR_[A-Z_]+/g) ?? []),
    );
    expect(codes.size).toBeGreaterThan(5);
    for (const code of codes) expect(docs, code).toContain(code);
  });
});
