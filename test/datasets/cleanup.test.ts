import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanupInterruptedPublishes, listDatasets, publishDataset } from "../../src/datasets/index.ts";
import { entries, makeTempRoot, pointerOf } from "./helpers.ts";

let root: string;
let dispose: () => Promise<void>;
beforeEach(async () => ({ root, dispose } = await makeTempRoot()));
afterEach(() => dispose());

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  return child.pid!;
}

function publish(name = "ds") {
  return publishDataset({ root, name, runId: "RUN-1", scraper: "s", records: [{ a: 1 }] });
}

describe("cleanupInterruptedPublishes", () => {
  it("removes abandoned temp dirs and current.tmp, keeps those of live processes", async () => {
    await publish();
    const dir = join(root, "ds");
    const dead = join(dir, `.tmp-${await deadPid()}-aaaa`);
    const own = join(dir, `.tmp-${process.pid}-bbbb`);
    const live = join(dir, `.tmp-${process.ppid}-cccc`);
    for (const temp of [dead, own, live]) {
      await mkdir(temp);
      await writeFile(join(temp, "records.jsonl"), '{"a":1}\n{"a"');
    }
    await writeFile(join(dir, "current.tmp"), '{"vers');

    const report = await cleanupInterruptedPublishes(root);
    expect(report.removed.sort()).toEqual([dead, own, join(dir, "current.tmp")].sort());
    expect(report.quarantined).toEqual([]);
    expect(await entries(dir)).toEqual([`.tmp-${process.ppid}-cccc`, "current", "v000001"]);
    expect(await pointerOf(root, "ds")).toEqual({ version: 1 });
  });

  it("moves aside a version without a valid manifest and never reuses its number", async () => {
    await publish();
    await publish();
    const dir = join(root, "ds");
    await rm(join(dir, "v000002", "manifest.json"));
    await mkdir(join(dir, "v000003"));

    const report = await cleanupInterruptedPublishes(root);
    expect(report.quarantined).toHaveLength(2);
    const names = await readdir(dir);
    expect(names.filter((n) => /^v\d+$/.test(n))).toEqual(["v000001"]);
    expect(names.filter((n) => n.startsWith(".invalid-v000002-"))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith(".invalid-v000003-"))).toHaveLength(1);
    // current named v2, which is gone: it now names the newest valid version.
    expect(await pointerOf(root, "ds")).toEqual({ version: 1 });
    expect(report.repairedPointers).toEqual([dir]);
    expect((await listDatasets(root))[0]?.versions.map((v) => v.version)).toEqual([1]);
    expect((await publish()).version).toBe(4);
  });

  it("restores a missing pointer and tolerates a missing root", async () => {
    await publish();
    await rm(join(root, "ds", "current"));
    await cleanupInterruptedPublishes(root);
    expect(await pointerOf(root, "ds")).toEqual({ version: 1 });
    expect(await cleanupInterruptedPublishes(join(root, "nothing-here"))).toEqual({
      removed: [],
      quarantined: [],
      repairedPointers: [],
    });
  });

  it("leaves a publish running in this process alone", async () => {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consuming = new Promise<void>((resolve) => (started = resolve));
    async function* slow() {
      started(); // the temp dir exists once records are pulled
      yield { a: 1 };
      await gate;
      yield { a: 2 };
    }
    const running = publishDataset({ root, name: "ds", runId: "RUN-1", scraper: "s", records: slow() });
    await consuming;
    const temps = (await readdir(join(root, "ds"))).filter((n) => n.startsWith(".tmp-"));
    expect(temps).toHaveLength(1);
    expect((await cleanupInterruptedPublishes(root)).removed).toEqual([]);
    release();
    expect((await running).records).toBe(2);
  });
});
