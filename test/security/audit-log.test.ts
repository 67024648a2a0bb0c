/**
 * The audit log over a real store and head file: appends chain, the head file follows (mode 0600),
 * verify reconciles a head file that lags (a crash between commit and head update) and reports one
 * that is ahead, disagrees, is missing or unreadable; appends from two processes keep one chain.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { homePaths, ManualClock } from "../../src/core/index.ts";
import {
  AuditLog,
  canonicalJson,
  GENESIS_HASH,
  hashAuditEntry,
  readAuditHead,
} from "../../src/security/index.ts";
import { writeAuditHead } from "../../src/security/audit-head.ts";
import { openSqliteStore, type Store } from "../../src/store/index.ts";
import Database from "better-sqlite3";

let home: string;
let store: Store;
let log: AuditLog;
let paths: ReturnType<typeof homePaths>;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "trawl-audit-log-"));
  paths = homePaths(home);
  store = openSqliteStore(paths.database);
  log = new AuditLog(store.audit, paths.auditHead, new ManualClock(1_765_000_000_000));
});

afterEach(async () => {
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

async function appendMany(n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await log.append({
      actor: "cli",
      action: "schedule.created",
      subject: `SCH-${i}`,
      details: { b: 2, a: [i] },
    });
}

/** Raw SQL from another connection, as someone with the database file would (triggers dropped). */
function tamper(sql: string): void {
  const db = new Database(paths.database);
  db.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; ${sql}`);
  db.close();
}

describe("audit log", () => {
  it("chains entries, keeps details canonical, and moves the head file (mode 0600) with each append", async () => {
    const first = await log.append({
      actor: "api",
      action: "run.started",
      subject: "RUN-1",
      details: { z: 1, a: "x" },
    });
    expect(first).toMatchObject({
      seq: 1,
      prevHash: GENESIS_HASH,
      details: '{"a":"x","z":1}',
      actorName: null,
    });
    const second = await log.append({ actor: "scheduler", action: "run.stopped", subject: "RUN-1" });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, details: "{}" });
    expect(readAuditHead(paths.auditHead)).toEqual({ state: "present", head: { seq: 2, hash: second.hash } });
    expect(statSync(paths.auditHead).mode & 0o777).toBe(0o600);
    expect(canonicalJson({ b: [{ d: 1, c: null }], a: undefined })).toBe('{"b":[{"c":null,"d":1}]}');
    expect(await log.verify()).toEqual({
      intact: true,
      entries: 2,
      head: { seq: 2, hash: second.hash },
      headFile: { seq: 2, hash: second.hash },
      headLag: 0,
      problem: null,
    });
  });

  it("lists the newest entries oldest first, by action and time, and counts them", async () => {
    await appendMany(5);
    await log.append({ actor: "cli", action: "run.cancelled", subject: "RUN-9" });
    expect((await log.list({ limit: 2 })).map((e) => e.seq)).toEqual([5, 6]);
    expect((await log.list({ action: "run.cancelled" })).map((e) => e.subject)).toEqual(["RUN-9"]);
    expect((await log.list({ beforeSeq: 3 })).map((e) => e.seq)).toEqual([1, 2]);
    expect(await log.count({ action: "schedule.created" })).toBe(5);
    expect(await log.count({ since: 1_765_000_000_001 })).toBe(0);
  });

  it("accepts a head file that lags an intact chain (a crash after the commit) and catches it up", async () => {
    await appendMany(3);
    const third = readAuditHead(paths.auditHead);
    await appendMany(1);
    // The crash: entry 4 committed, the head file still at entry 3.
    writeAuditHead(paths.auditHead, (third as { head: { seq: number; hash: string } }).head);
    const result = await log.verify();
    expect(result).toMatchObject({ intact: true, entries: 4, headLag: 1, headFile: { seq: 3 } });
    expect(readAuditHead(paths.auditHead)).toMatchObject({ head: { seq: 4 } });
    expect(await log.verify()).toMatchObject({ intact: true, headLag: 0 });
  });

  it("reports a tail cut off, and appends after the cut do not hide it", async () => {
    await appendMany(10);
    tamper("DELETE FROM audit_log WHERE seq > 7");
    expect((await log.verify()).problem).toEqual({
      kind: "truncated",
      seq: 8,
      message: "the log ends at entry 7 but the head file records entry 10: entries 8–10 were cut off",
    });
    // New entries 8, 9, 10, 11 chain onto 7: the head file, which disagrees, is left alone.
    await appendMany(4);
    expect(readAuditHead(paths.auditHead)).toMatchObject({ head: { seq: 10 } });
    expect((await log.verify()).problem).toMatchObject({ kind: "head-mismatch", seq: 10 });
  });

  it("reports a head file that is missing, unreadable, or disagrees; an empty log needs none", async () => {
    expect(await log.verify()).toMatchObject({ intact: true, entries: 0, headFile: null });
    await appendMany(2);
    writeAuditHead(paths.auditHead, { seq: 2, hash: "a".repeat(64) });
    expect((await log.verify()).problem).toMatchObject({ kind: "head-mismatch", seq: 2 });
    writeFileSync(paths.auditHead, "not json");
    expect((await log.verify()).problem).toMatchObject({ kind: "head-unreadable", seq: 2 });
    rmSync(paths.auditHead);
    expect((await log.verify()).problem).toMatchObject({ kind: "head-missing", seq: 2 });
    // An append does not recreate a removed head file: its absence stays visible.
    await appendMany(1);
    expect(readAuditHead(paths.auditHead)).toEqual({ state: "missing" });
  });

  it("finds a forged entry with a recomputed hash at the next link, a recomputed tail by the head file; both files rewritten pass (the documented limit)", async () => {
    await appendMany(6);
    const entries = await log.list();
    /** Entry `seq` with another subject and every hash from it on recomputed, as a forger would. */
    const forge = (from: number, upTo: number) => {
      let prev = entries[from - 2]?.hash ?? GENESIS_HASH;
      for (const entry of entries.slice(from - 1, upTo)) {
        const fields = {
          ...entry,
          subject: entry.seq === from ? "SCH-FORGED" : entry.subject,
          prevHash: prev,
        };
        prev = hashAuditEntry(fields);
        tamper(
          `UPDATE audit_log SET subject = '${fields.subject}', prev_hash = '${fields.prevHash}', hash = '${prev}' WHERE seq = ${entry.seq}`,
        );
      }
      return prev;
    };
    forge(3, 3);
    expect((await log.verify()).problem).toMatchObject({ kind: "reordered", seq: 4 });
    forge(3, 6);
    expect((await log.verify()).problem).toMatchObject({ kind: "head-mismatch", seq: 6 });
    writeAuditHead(paths.auditHead, { seq: 6, hash: forge(3, 6) });
    expect(await log.verify()).toMatchObject({ intact: true, entries: 6 });
  });

  it("resets a head file that disagrees with an intact chain, logging it, and refuses when the chain is broken", async () => {
    await appendMany(6);
    tamper("DELETE FROM audit_log WHERE seq > 4"); // a database backup of 4 entries restored
    expect(await log.resetHead("cli")).toMatchObject({
      reset: { kind: "truncated", seq: 5 },
      now: { intact: true, entries: 5, headLag: 0 },
    });
    const [entry] = await log.list({ action: "audit.head-reset" });
    expect(entry).toMatchObject({ seq: 5, actor: "cli" });
    expect(JSON.parse(entry!.details)).toMatchObject({
      problem: "truncated",
      headFile: { seq: 6 },
      chainHead: { seq: 4 },
    });
    expect(await log.resetHead("cli")).toMatchObject({ reset: null, now: { intact: true } });
    tamper("UPDATE audit_log SET subject = 'SCH-X' WHERE seq = 2");
    await expect(log.resetHead("cli")).rejects.toMatchObject({ code: "TRAWL_ERR_SECURITY_AUDIT_BROKEN" });
    expect((await log.verify()).problem).toMatchObject({ kind: "edited", seq: 2 });
  });

  it("keeps one chain when two processes append at once", async () => {
    await store.close();
    const worker = join(import.meta.dirname, "audit-append-worker.ts");
    const children = ["cli", "api"].map((actor) =>
      spawn(process.execPath, ["--import", "tsx", worker, home, "150", actor], {
        stdio: ["pipe", "pipe", "inherit"],
      }),
    );
    const outputs = children.map((child) => {
      let text = "";
      child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
      return { child, text: () => text };
    });
    const waitFor = (word: string) =>
      Promise.all(
        outputs.map(
          (o) =>
            new Promise<void>((resolve, reject) => {
              const timer = setInterval(() => {
                if (o.text().includes(word)) resolve(clearInterval(timer));
                if (o.child.exitCode !== null && !o.text().includes(word))
                  reject(new Error(`worker exited: ${o.text()}`));
              }, 20);
            }),
        ),
      );
    await waitFor("ready");
    for (const child of children) child.stdin!.write("go\n");
    await waitFor("done");
    store = openSqliteStore(paths.database);
    log = new AuditLog(store.audit, paths.auditHead, new ManualClock(0));
    const appended = outputs.map((o) => Number(/done (\d+)/.exec(o.text())![1]));
    const total = appended[0]! + appended[1]!;
    const result = await log.verify();
    // Head writes happen under the database's write lock, in commit order: the file ends at the
    // last entry, never left behind by a slower writer.
    expect(result).toMatchObject({
      intact: true,
      entries: total,
      head: { seq: total },
      headFile: { seq: total },
      headLag: 0,
    });
    const actors = (await log.list({ limit: total })).map((entry) => entry.actor);
    expect(actors.filter((a) => a === "cli")).toHaveLength(appended[0]!);
    // Each worker went on until one of its entries followed the other's: they overlapped.
    const switches = actors.filter((a, i) => i > 0 && a !== actors[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(2);
  });
});
