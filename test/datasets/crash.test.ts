/**
 * All-or-nothing under kill -9: a real child process publishing a large dataset is SIGKILLed at
 * various points of the publish; every version present must be complete and verify, `current`
 * must point to a complete version, and cleanup must leave no temporary files behind.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanupInterruptedPublishes, publishDataset, verifyDataset } from "../../src/datasets/index.ts";
import { makeTempRoot, pointerOf } from "./helpers.ts";

const fixture = fileURLToPath(new URL("./fixtures/publish-big.ts", import.meta.url));
const repo = fileURLToPath(new URL("../..", import.meta.url));
const RECORDS = 50_000;

let root: string;
let dispose: () => Promise<void>;
const children = new Set<ReturnType<typeof spawn>>();
beforeEach(async () => ({ root, dispose } = await makeTempRoot()));
afterEach(async () => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  await dispose();
});

interface KillPlan {
  /** The progress line of the child after which the kill timer starts. */
  after: "started" | "yielded-all";
  delayMs: number;
}

/** Runs the fixture and SIGKILLs it `plan.delayMs` after it prints `plan.after`. */
async function publishAndKill(
  plan: KillPlan,
): Promise<{ lines: string[]; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, root, "big", String(RECORDS)], {
    cwd: repo,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const exited = once(child, "exit");
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    if (line === plan.after) setTimeout(() => child.kill("SIGKILL"), plan.delayMs);
  });
  const [, signal] = (await exited) as [number | null, string | null];
  children.delete(child);
  return { lines, signal, stderr };
}

async function versionDirs(): Promise<string[]> {
  return (await readdir(join(root, "big"))).filter((entry) => /^v\d+$/.test(entry)).sort();
}

/** The all-or-nothing invariant: every version verifies and current names one of them. */
async function expectConsistent(previousCurrent: number, context: string): Promise<number> {
  const versions = await versionDirs();
  for (const dir of versions) {
    const result = await verifyDataset(root, "big", Number(dir.slice(1)));
    expect(result.problems, `${context}: ${dir}`).toEqual([]);
  }
  const { version } = (await pointerOf(root, "big")) as { version: number };
  expect(versions, context).toContain(`v${String(version).padStart(6, "0")}`);
  // current moves only to a complete newer version (a kill after the commit point).
  if (version !== previousCurrent) expect(version, context).toBeGreaterThan(previousCurrent);
  return version;
}

describe("publish under kill -9", () => {
  it("keeps the previous version current and complete, and cleanup removes the leftovers", async () => {
    await publishDataset({ root, name: "big", runId: "RUN-1", scraper: "s", records: [{ id: "old" }] });
    const random = (max: number) => Math.floor(Math.random() * max);
    const plans: KillPlan[] = [
      { after: "started", delayMs: 0 },
      { after: "started", delayMs: random(150) },
      { after: "yielded-all", delayMs: 0 },
      { after: "yielded-all", delayMs: random(200) },
      { after: "yielded-all", delayMs: 200 + random(400) },
    ];
    let current = 1;
    let interrupted = 0;
    for (const plan of plans) {
      const context = `kill ${plan.delayMs} ms after ${plan.after}`;
      const run = await publishAndKill(plan);
      expect(run.signal, `${context}; stderr: ${run.stderr}`).toBe("SIGKILL");
      expect(run.lines, context).toContain(plan.after);
      const before = current;
      current = await expectConsistent(current, context);
      if (current === before && !run.lines.some((line) => line.startsWith("done"))) interrupted++;
    }
    // The kills really hit publishes in progress, which left their temp dirs behind.
    expect(interrupted).toBeGreaterThan(0);
    const leftovers = (await readdir(join(root, "big"))).filter((entry) => entry.startsWith(".tmp-"));
    expect(leftovers.length).toBeGreaterThan(0);

    const report = await cleanupInterruptedPublishes(root);
    expect(report.removed.length).toBeGreaterThanOrEqual(leftovers.length);
    const after = await readdir(join(root, "big"));
    expect(after.filter((entry) => entry.startsWith(".tmp-") || entry === "current.tmp")).toEqual([]);
    expect(await expectConsistent(current, "after cleanup")).toBe(current);
    expect((await verifyDataset(root, "big")).ok).toBe(true);

    const next = await publishDataset({
      root,
      name: "big",
      runId: "RUN-2",
      scraper: "s",
      records: [{ id: "new" }],
    });
    expect(next.version).toBeGreaterThan(current);
    expect((await versionDirs()).at(-1)).toBe(`v${String(next.version).padStart(6, "0")}`);
    expect(await pointerOf(root, "big")).toEqual({ version: next.version });
  });
});
