import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseConfig } from "./config.ts";
import {
  describeBytes,
  memoryCeilingBytes,
  parseCgroupMemoryValue,
  parseMemoryCeiling,
  processMemoryLimit,
  readCgroupMemoryLimit,
} from "./memory-limit.ts";

const MB = 1024 ** 2;
const GB = 1024 ** 3;

/** The cgroup files of one fixture machine (test/fixtures/cgroup/<name>), never the live one. */
function fixture(name: string) {
  const dir = fileURLToPath(new URL(`../../test/fixtures/cgroup/${name}/`, import.meta.url));
  return { root: `${dir}fs`, self: `${dir}self-cgroup` };
}

describe("cgroup memory limits", () => {
  it("reads a cgroup v2 container's memory.max", () => {
    expect(readCgroupMemoryLimit(fixture("v2-container"))).toEqual({ bytes: 512 * MB, source: "cgroup v2" });
  });

  it("takes v2 `max` as no limit", () => {
    expect(readCgroupMemoryLimit(fixture("v2-unlimited"))).toBeUndefined();
  });

  it("applies a v2 ancestor's limit when the process's own group says max", () => {
    expect(readCgroupMemoryLimit(fixture("v2-nested"))).toEqual({ bytes: GB, source: "cgroup v2" });
  });

  it("reads the v1 memory controller's group named in /proc/self/cgroup", () => {
    expect(readCgroupMemoryLimit(fixture("v1-host"))).toEqual({ bytes: 256 * MB, source: "cgroup v1" });
  });

  it("applies a v1 ancestor's limit when the process's own group is unlimited", () => {
    expect(readCgroupMemoryLimit(fixture("v1-nested"))).toEqual({ bytes: 512 * MB, source: "cgroup v1" });
  });

  it("reads a v1 container's limit at the mount when the named group is not there", () => {
    expect(readCgroupMemoryLimit(fixture("v1-container"))).toEqual({ bytes: 768 * MB, source: "cgroup v1" });
  });

  it("takes the huge v1 sentinel as no limit", () => {
    expect(readCgroupMemoryLimit(fixture("v1-unlimited"))).toBeUndefined();
    expect(parseCgroupMemoryValue("9223372036854771712\n")).toBeUndefined();
  });

  it("finds no limit without a cgroup file system (not Linux)", () => {
    expect(readCgroupMemoryLimit(fixture("none"))).toBeUndefined();
  });

  it("never reads a container's limit as 0: unreadable or zero values are no limit", () => {
    expect(parseCgroupMemoryValue("0")).toBeUndefined();
    expect(parseCgroupMemoryValue("garbage")).toBeUndefined();
    expect(parseCgroupMemoryValue(" 1048576 \n")).toBe(MB);
  });

  it("the process's limit is the smaller of the cgroup's and the machine's", () => {
    expect(processMemoryLimit(fixture("v2-container"), 16 * GB)).toEqual({
      bytes: 512 * MB,
      source: "cgroup v2",
    });
    expect(processMemoryLimit(fixture("v2-container"), 256 * MB)).toEqual({
      bytes: 256 * MB,
      source: "machine",
    });
    expect(processMemoryLimit(fixture("v2-unlimited"), 8 * GB)).toEqual({ bytes: 8 * GB, source: "machine" });
  });
});

describe("the memory ceiling", () => {
  it("defaults to 75 % of the limit; a share or a size overrides it", () => {
    const limit = { bytes: 4 * GB, source: "cgroup v2" as const };
    expect(memoryCeilingBytes(undefined, limit)).toBe(3 * GB);
    expect(memoryCeilingBytes(parseMemoryCeiling("50%"), limit)).toBe(2 * GB);
    expect(memoryCeilingBytes(parseMemoryCeiling("1536MB"), limit)).toBe(1536 * MB);
  });

  it("parses shares and sizes, and refuses the rest", () => {
    expect(parseMemoryCeiling("75%")).toEqual({ share: 0.75 });
    expect(parseMemoryCeiling("2GB")).toEqual({ bytes: 2 * GB });
    expect(parseMemoryCeiling("2gib")).toEqual({ bytes: 2 * GB });
    expect(parseMemoryCeiling("1000000")).toEqual({ bytes: 1_000_000 });
    for (const bad of ["0%", "150%", "lots", "0", "-1GB", "2 apples"]) {
      expect(parseMemoryCeiling(bad)).toBeUndefined();
    }
  });

  it("TRAWL_MEMORY_CEILING is checked by the configuration, naming the variable", () => {
    expect(parseConfig({ TRAWL_MEMORY_CEILING: "60%" }).memoryCeiling).toEqual({ share: 0.6 });
    expect(parseConfig({}).memoryCeiling).toBeUndefined();
    expect(() => parseConfig({ TRAWL_MEMORY_CEILING: "plenty" })).toThrow(
      'TRAWL_MEMORY_CEILING must be a share of the memory limit (75%) or a size (2GB, 1536MB), not "plenty"',
    );
  });

  it("describes sizes for logs", () => {
    expect(describeBytes(64 * MB)).toBe("64 MB");
    expect(describeBytes(1.5 * GB)).toBe("1.5 GB");
    expect(describeBytes(512)).toBe("512 bytes");
  });
});
