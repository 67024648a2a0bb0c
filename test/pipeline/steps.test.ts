import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compileDefinition } from "../../src/pipeline/compile.ts";
import { DefinitionError } from "../../src/pipeline/errors.ts";
import { registerStep } from "../../src/pipeline/registry.ts";
import type { CompiledStep } from "../../src/pipeline/types.ts";
import type { ScrapedRecord } from "../../src/core/index.ts";
import { stepContext, stream } from "./helpers.ts";

function withSteps(steps: unknown[]) {
  return compileDefinition({ name: "s", start: "http://h.test/", pages: { p: {} }, steps });
}

async function runStep(step: CompiledStep, records: ScrapedRecord[]) {
  const out: ScrapedRecord[] = [];
  const ctx = stepContext();
  const result = await step.run(stream(records), (r) => out.push(r), ctx);
  return { out, result, ctx };
}

describe("built-in steps", () => {
  it("transform computes from templates, then renames, then drops", async () => {
    const [step] = withSteps([
      {
        transform: {
          compute: { label: "${title} by ${author.name} — $${raw} ${missing}", copy: "${price}" },
          rename: { title: "name" },
          drop: ["author"],
        },
      },
    ]).steps;
    const { out } = await runStep(step!, [{ title: "Dune", price: 9.5, author: { name: "Herbert" } }]);
    expect(out).toEqual([{ name: "Dune", price: 9.5, label: "Dune by Herbert — ${raw} ", copy: "9.5" }]);
  });

  it("rejects template expressions: compute is not code", () => {
    const error = (() => {
      try {
        withSteps([{ transform: { compute: { x: "${process.exit(1)}" } } }]);
      } catch (e) {
        return e as DefinitionError;
      }
    })();
    expect(error?.problems[0]).toMatchObject({ path: "steps.0.transform.compute.x" });
    expect(error?.problems[0]?.message).toContain("invalid placeholder");
  });

  it("dedupe keeps the first record per composite key and never merges key-less records", async () => {
    const [step] = withSteps([{ dedupe: { key: ["a", "b"] } }]).steps;
    const input = [{ a: 1, b: 1, n: 1 }, { a: 1, b: 2, n: 2 }, { a: 1, b: 1, n: 3 }, { n: 4 }, { n: 5 }];
    const { out, result, ctx } = await runStep(step!, input);
    expect(out.map((r) => r.n)).toEqual([1, 2, 4, 5]);
    expect(result).toEqual({ dropped: 1 });
    expect(ctx.lines).toEqual([
      "info: dedupe: dropped a record: same a, b [1,1] as record 1 (record 3, a 1)",
    ]);
  });

  it("validate checks types of present values, logs the first drops and sums up the rest per rule", async () => {
    const [step] = withSteps([
      { name: "check", validate: { required: ["id"], types: { id: "integer", when: "date" } } },
    ]).steps;
    const bad = Array.from({ length: 25 }, (_, i) => ({ id: `x${i}` }));
    const { out, result, ctx } = await runStep(step!, [
      { id: 1, when: "2024-01-02" },
      { id: 2, when: null },
      ...bad,
      { id: 3, when: "soon" },
    ]);
    expect(out.map((r) => r.id)).toEqual([1, 2]);
    expect(result).toEqual({ dropped: 26 });
    expect(ctx.lines).toHaveLength(21);
    expect(ctx.lines[0]).toBe(
      'warn: check: dropped a record: field "id" is not a integer: "x0" (record 3, id "x0")',
    );
    expect(ctx.lines[20]).toBe(
      "warn: check: dropped 26 records in all, the first 20 logged one by one; " +
        'by rule: field "id" is not a integer ×25, field "when" is not a date ×1',
    );
  });

  it("validate fails when it drops more than max_dropped allows, as a share or a count", async () => {
    const records = [{ id: 1 }, { id: null }, { id: null }, { id: 4 }];
    const validate = (max: number | string) =>
      withSteps([{ validate: { required: ["id"], max_dropped: max } }]).steps[0]!;
    await expect(runStep(validate("25%"), records)).rejects.toThrow(
      "dropped 2 of 4 records (50 %) as invalid, more than max_dropped allows (25%); did the pages change shape?",
    );
    await expect(runStep(validate(1), records)).rejects.toThrow(/more than max_dropped allows \(1\)/);
    expect((await runStep(validate("50%"), records)).result).toEqual({ dropped: 2 });
    expect((await runStep(validate(2), records)).result).toEqual({ dropped: 2 });
  });

  it("names unnamed steps after their kind, uniquely", () => {
    const names = withSteps([
      { transform: {} },
      { name: "transform-2", transform: {} },
      { transform: {} },
    ]).steps.map((s) => s.name);
    expect(names).toEqual(["transform", "transform-2", "transform-3"]);
  });
});

describe("registered steps", () => {
  it("accepts a kind registered from code and validates its config", async () => {
    registerStep("uppercase-test", {
      config: z.strictObject({ field: z.string() }),
      create: (config, info) => ({
        name: info.name,
        kind: info.kind,
        async run(input, emit) {
          for await (const r of input) emit({ ...r, [config.field]: String(r[config.field]).toUpperCase() });
        },
      }),
    });
    const [step] = withSteps([{ "uppercase-test": { field: "t" } }]).steps;
    expect((await runStep(step!, [{ t: "abc" }])).out).toEqual([{ t: "ABC" }]);
    expect(() => withSteps([{ "uppercase-test": { feild: "t" } }])).toThrow(DefinitionError);
    expect(() => registerStep("uppercase-test", () => step!)).toThrow(/already registered/);
  });

  it("names an unknown step kind and a step with two kinds", () => {
    try {
      withSteps([{ publish: {} }, { dedupe: { key: "a" }, validate: {} }]);
      expect.unreachable();
    } catch (error) {
      const problems = (error as DefinitionError).problems;
      expect(problems.map((p) => p.path)).toEqual(["steps.0.publish", "steps.1.validate"]);
      expect(problems[0]!.message).toMatch(
        /^unknown step kind "publish" \(known: validate, dedupe, transform, export/,
      );
    }
  });
});
