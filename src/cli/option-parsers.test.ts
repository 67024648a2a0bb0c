import { describe, expect, it } from "vitest";
import { datasetVersion, portParser, positiveInteger } from "./option-parsers.ts";

describe("portParser", () => {
  it("lets a server ask for any free port (0) and a client only name a real one", () => {
    const listen = portParser({ anyFreePort: true });
    const connect = portParser({ anyFreePort: false });
    expect([listen("0"), listen("7878"), listen("65535")]).toEqual([0, 7878, 65_535]);
    expect(connect("1")).toBe(1);
    expect(() => connect("0")).toThrow("expected a port number (1-65535)");
    for (const bad of ["65536", "-1", "80.5", "http"]) {
      expect(() => listen(bad)).toThrow("expected a port number (0-65535)");
      expect(() => connect(bad)).toThrow("expected a port number (1-65535)");
    }
  });
});

describe("positiveInteger", () => {
  it("takes whole numbers from 1 and refuses the rest", () => {
    expect(positiveInteger("50")).toBe(50);
    for (const bad of ["0", "-3", "2.5", "many"])
      expect(() => positiveInteger(bad)).toThrow("positive integer");
  });
});

describe("datasetVersion", () => {
  it("takes a version from 1 and refuses the rest with TRAWL_ERR_CLI_BAD_VERSION", () => {
    expect(datasetVersion("3")).toBe(3);
    expect(() => datasetVersion("0")).toThrow("--version must be a positive integer, got 0");
    expect(() => datasetVersion("v2")).toThrow(
      expect.objectContaining({ code: "TRAWL_ERR_CLI_BAD_VERSION" }),
    );
  });
});
