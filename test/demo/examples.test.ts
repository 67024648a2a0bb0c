import { describe, expect, it } from "vitest";
import { parseDefinitionYaml } from "../../src/pipeline/load-yaml.ts";
import { dedupeKey } from "../../src/pipeline/steps/dedupe.ts";
import { transformRecord, type TransformConfig } from "../../src/pipeline/steps/transform.ts";
import { invalidReason, type ValidateConfig } from "../../src/pipeline/steps/validate.ts";
import {
  EXAMPLE_NAMES,
  EXAMPLE_ORIGIN,
  examplePath,
  listCompanies,
  readExample,
} from "../../src/demo/index.ts";
import { startSite } from "./helpers.ts";
import { miniCrawl } from "./mini-crawl.ts";

function stepConfig<C>(definition: { steps: { kind: string; config: unknown }[] }, kind: string): C {
  const step = definition.steps.find((s) => s.kind === kind);
  if (!step) throw new Error(`no ${kind} step`);
  return step.config as C;
}

describe("example scrapers", () => {
  it("are valid definitions written against the demo site's default address", async () => {
    for (const name of EXAMPLE_NAMES) {
      const text = await readExample(name);
      expect(text).toContain(`${EXAMPLE_ORIGIN}/`);
      expect(() => parseDefinitionYaml(text, examplePath(name))).not.toThrow();
    }
  });

  it("can be pointed at a demo site on another port", async () => {
    const text = await readExample("bookshop", "http://127.0.0.1:9999/");
    expect(text).not.toContain(EXAMPLE_ORIGIN);
    expect(text).toContain("start: http://127.0.0.1:9999/fiction/page/1");
    expect(() => examplePath("../package")).toThrow(/not an example name/);
  });

  it("bookshop.yaml yields 121 products, 119 valid, 118 distinct", async () => {
    const site = await startSite();
    const definition = parseDefinitionYaml(await readExample("bookshop", site.url), "bookshop.yaml");
    const crawl = await miniCrawl(definition);
    expect(crawl.pages).toBe(6 + 60 + 6 + 61);
    expect(crawl.records).toHaveLength(121);

    const validate = stepConfig<ValidateConfig>(definition, "validate");
    const valid = crawl.records.filter((r) => invalidReason(r, validate) === null);
    expect(valid).toHaveLength(119);
    expect(valid.every((r) => typeof r.price === "number" && typeof r.sku === "string")).toBe(true);
    const keys = new Set(valid.map((r) => dedupeKey(r, ["sku"])));
    expect(keys.size).toBe(118);
  });

  it("jobs.yaml yields every job of five companies with typed fields", async () => {
    const site = await startSite({ faults: false });
    const definition = parseDefinitionYaml(await readExample("jobs", site.url), "jobs.yaml");
    const crawl = await miniCrawl(definition);
    const expected = listCompanies({ seed: 1, companies: 5, faults: false }).reduce(
      (n, c) => n + c.jobCount,
      0,
    );
    expect(expected).toBe(105); // the number examples/README.md promises
    expect(crawl.records).toHaveLength(expected);
    expect(crawl.warnings).toBe(0);

    const validate = stepConfig<ValidateConfig>(definition, "validate");
    expect(crawl.records.filter((r) => invalidReason(r, validate) !== null)).toEqual([]);
    const competitive = crawl.records.filter((r) => r.salary_min === null);
    expect(competitive.length).toBeGreaterThan(0);
    for (const record of crawl.records) {
      expect(record.posted).toMatch(/^2026-\d{2}-\d{2}$/);
      expect(Array.isArray(record.tags)).toBe(true);
      if (record.salary_min !== null)
        expect(record.salary_max as number).toBeGreaterThan(record.salary_min as number);
    }

    const transformed = transformRecord(
      crawl.records[0] ?? {},
      stepConfig<TransformConfig>(definition, "transform"),
    );
    expect(transformed.headline).toBe(
      `${transformed.title} at ${transformed.company} (${transformed.location})`,
    );
    expect(transformed.company_slug).toBe("acme");
    expect(transformed).not.toHaveProperty("company_page");
  });
});
