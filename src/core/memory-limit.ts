/**
 * How much memory this process may use: the machine's, or the container's when a cgroup limits it
 * (Crawlee read a container's memory as 0 and grew until the kernel killed it, crawlee-python
 * #1535), and the server-wide ceiling the resource governor keeps under (`TRAWL_MEMORY_CEILING`).
 */
import { existsSync, readFileSync } from "node:fs";
import { totalmem } from "node:os";
import { join } from "node:path";
import { bytesOf } from "./sizes.ts";

/**
 * A cgroup v1 `memory.limit_in_bytes` at or above this means "no limit": the kernel writes
 * LONG_MAX rounded down to a page (9223372036854771712), never a real size.
 */
const V1_UNLIMITED_FROM = 2 ** 60;

/** `75%`, decimals allowed, more than 0 and at most 100. */
const SHARE_PATTERN = /^(\d{1,3}(?:\.\d+)?)\s*%$/;
/** The governor's ceiling as set: a share of the memory limit, or a size in bytes. */
export type MemoryCeilingSetting = { share: number } | { bytes: number };

/** The default ceiling: three quarters of the machine's or the container's memory. */
export const DEFAULT_MEMORY_CEILING: MemoryCeilingSetting = { share: 0.75 };

/**
 * `TRAWL_MEMORY_CEILING` as written: `75%` (of the memory limit) or a size (`2GB`, `1536MB`,
 * bytes); `undefined` for anything else (the configuration names the variable).
 */
export function parseMemoryCeiling(text: string): MemoryCeilingSetting | undefined {
  const value = text.trim();
  const share = SHARE_PATTERN.exec(value);
  if (share) {
    const fraction = Number(share[1]) / 100;
    return fraction > 0 && fraction <= 1 ? { share: fraction } : undefined;
  }
  const bytes = bytesOf(value);
  return bytes !== undefined && bytes > 0 ? { bytes } : undefined;
}

/**
 * A cgroup memory limit file's value in bytes; `undefined` when it says "no limit": `max` (v2) or
 * the huge v1 sentinel. Unreadable text is no limit either.
 */
export function parseCgroupMemoryValue(text: string): number | undefined {
  const value = text.trim();
  if (value === "max" || !/^\d+$/.test(value)) return undefined;
  const bytes = Number(value);
  return bytes > 0 && bytes < V1_UNLIMITED_FROM ? bytes : undefined;
}

/** Where a process's memory limit came from. */
export interface MemoryLimit {
  bytes: number;
  source: "cgroup v2" | "cgroup v1" | "machine";
}

/** Where to read cgroups from; the defaults are the live machine's, tests pass fixture files. */
export interface CgroupPaths {
  /** The cgroup file system's mount point. @defaultValue `/sys/fs/cgroup` */
  root?: string;
  /** This process's cgroup membership. @defaultValue `/proc/self/cgroup` */
  self?: string;
}

/**
 * The cgroup limit on this process's memory, or `undefined` when none applies (or no cgroup file
 * system is there: not Linux). With cgroup v2 (`cgroup.controllers` at the root) the smallest
 * `memory.max` from the process's own cgroup up to the root counts, as the kernel enforces each
 * ancestor's; with v1, likewise the smallest `memory.limit_in_bytes` of the memory controller's
 * group and its ancestors that exist under the mount (inside a container the mount shows only the
 * container's own group, at its root, not the path `/proc/self/cgroup` names).
 */
export function readCgroupMemoryLimit(paths: CgroupPaths = {}): MemoryLimit | undefined {
  const root = paths.root ?? "/sys/fs/cgroup";
  const membership = readText(paths.self ?? "/proc/self/cgroup") ?? "";
  if (existsSync(join(root, "cgroup.controllers"))) {
    const path = /^0::(.*)$/m.exec(membership)?.[1]?.trim() ?? "/";
    const bytes = smallest(ancestors(path).map((dir) => readLimit(join(root, dir, "memory.max"))));
    return bytes === undefined ? undefined : { bytes, source: "cgroup v2" };
  }
  const path = /^\d+:(?:[^:]*,)?memory(?:,[^:]*)?:(.*)$/m.exec(membership)?.[1]?.trim() ?? "/";
  const files = ancestors(path)
    .map((dir) => join(root, "memory", dir, "memory.limit_in_bytes"))
    .filter((file) => existsSync(file));
  const bytes = smallest(files.map(readLimit));
  return bytes === undefined ? undefined : { bytes, source: "cgroup v1" };
}

/**
 * The memory this process may use: the cgroup's limit when one applies and is below the
 * machine's memory, else the machine's.
 */
export function processMemoryLimit(paths: CgroupPaths = {}, machineBytes: number = totalmem()): MemoryLimit {
  const cgroup = readCgroupMemoryLimit(paths);
  return cgroup && cgroup.bytes < machineBytes ? cgroup : { bytes: machineBytes, source: "machine" };
}

/** The ceiling in bytes that `setting` gives under `limit` (a size is taken as it is). */
export function memoryCeilingBytes(setting: MemoryCeilingSetting | undefined, limit: MemoryLimit): number {
  const chosen = setting ?? DEFAULT_MEMORY_CEILING;
  return "bytes" in chosen ? chosen.bytes : Math.floor(limit.bytes * chosen.share);
}

/** `64 MB`, `1.5 GB`, `512 bytes`: binary units (1 KB = 1024 bytes), one decimal at most. */
export function describeBytes(bytes: number): string {
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit < 0) return `${Math.round(bytes)} bytes`;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** `/a/b` → `["/a/b", "/a", "/"]`. */
function ancestors(path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  const dirs = ["/"];
  for (let i = 1; i <= parts.length; i++) dirs.unshift("/" + parts.slice(0, i).join("/"));
  return dirs;
}

function smallest(values: (number | undefined)[]): number | undefined {
  const set = values.filter((value): value is number => value !== undefined);
  return set.length === 0 ? undefined : Math.min(...set);
}

function readLimit(file: string): number | undefined {
  const text = readText(file);
  return text === undefined ? undefined : parseCgroupMemoryValue(text);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    // Absent (not Linux, no such group, the root group has no memory.max): no limit from it.
    return undefined;
  }
}
