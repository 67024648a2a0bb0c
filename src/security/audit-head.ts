/**
 * The audit chain's head kept outside the database: `$TRAWL_HOME/audit-head.json`, holding the
 * sequence number and hash of the last entry this installation knows it wrote. Cutting entries off
 * the end of the log leaves the chain sound, but not equal to the head. Written atomically (a
 * temp file renamed over it), mode 0600.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";

/** What the head file holds. */
export interface AuditHead {
  /** The last entry's sequence number; 0 before the first entry. */
  seq: number;
  /** Its hash (GENESIS_HASH for seq 0). */
  hash: string;
}

/** The head file as read: its head, absent, or unreadable (with why). */
export type HeadFileState =
  { state: "present"; head: AuditHead } | { state: "missing" } | { state: "unreadable"; problem: string };

/** Reads the head file. Never throws: a file that is not a head is reported as unreadable. */
export function readAuditHead(path: string): HeadFileState {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    return { state: "unreadable", problem: (error as Error).message };
  }
  try {
    const value = JSON.parse(text) as Partial<AuditHead>;
    if (Number.isSafeInteger(value.seq) && value.seq! >= 0 && /^[0-9a-f]{64}$/.test(String(value.hash)))
      return { state: "present", head: { seq: value.seq!, hash: value.hash! } };
  } catch {
    // Not JSON: reported below like JSON of the wrong shape.
  }
  return { state: "unreadable", problem: "it does not hold a sequence number and a SHA-256 hash" };
}

/**
 * Replaces the head file atomically: the new head goes to a temp file of its own (mode 0600),
 * flushed to disk, then renamed over the old one, so a reader sees the old head or the new one.
 */
export function writeAuditHead(path: string, head: AuditHead): void {
  const temp = join(dirname(path), `.audit-head.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, `${JSON.stringify({ seq: head.seq, hash: head.hash })}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
