import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { compileValidated } from "../../src/pipeline/compile.ts";
import { parseDefinitionYaml } from "../../src/pipeline/load-yaml.ts";

const doc = await readFile(new URL("../../docs/scraper-format.md", import.meta.url), "utf8");
const examples = [...doc.matchAll(/```yaml\n(name: [\s\S]*?)```/g)].map((m) => m[1]!);

describe("docs/scraper-format.md", () => {
  it("has complete YAML examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });

  it.each(examples.map((text) => [text.split("\n")[0]!, text]))("%s loads and compiles", (_name, text) => {
    const scraper = compileValidated(parseDefinitionYaml(text, "docs/scraper-format.md"));
    expect(scraper.targets.length).toBeGreaterThan(0);
  });
});
