import { describe, expect, it } from "vitest";
import {
  AbortedError,
  ConflictError,
  createError,
  defineErrors,
  errorFactory,
  ExitCode,
  InternalError,
  NotFoundError,
  RunNotFoundError,
  TrawlError,
  UsageError,
} from "./errors.ts";

const TEST_ERRORS = defineErrors({
  TRAWL_ERR_TEST_BAD_FLAG: { kind: "usage", message: "--{flag}: {problem}" },
  TRAWL_ERR_TEST_MISSING: { kind: "not_found", message: "no thing {id}" },
  TRAWL_ERR_TEST_BUSY: { kind: "conflict", message: "thing {id} is busy" },
  TRAWL_ERR_TEST_BROKE: { kind: "failed", message: "it broke" },
  TRAWL_ERR_TEST_REFUSED: { kind: "usage", status: 403, message: "refused" },
});
const testError = errorFactory(TEST_ERRORS);

describe("error catalogues", () => {
  it("make each kind with its class, exit code and HTTP status", () => {
    const cases = [
      ["TRAWL_ERR_TEST_BAD_FLAG", UsageError, ExitCode.usage, 400],
      ["TRAWL_ERR_TEST_MISSING", NotFoundError, ExitCode.usage, 404],
      ["TRAWL_ERR_TEST_BUSY", ConflictError, ExitCode.usage, 409],
      ["TRAWL_ERR_TEST_BROKE", TrawlError, ExitCode.failed, 500],
      ["TRAWL_ERR_TEST_REFUSED", UsageError, ExitCode.usage, 403],
    ] as const;
    for (const [code, type, exitCode, statusCode] of cases) {
      const error = testError(code);
      expect(error, code).toBeInstanceOf(type);
      expect(error, code).toMatchObject({ code, exitCode, statusCode });
    }
  });

  it("fill a message shape from values, or take the thrower's message as it is", () => {
    expect(testError("TRAWL_ERR_TEST_BAD_FLAG", { flag: "max", problem: "not a number" }).message).toBe(
      "--max: not a number",
    );
    expect(testError("TRAWL_ERR_TEST_BAD_FLAG", { flag: "max" }).message).toBe("--max: {problem}");
    expect(testError("TRAWL_ERR_TEST_MISSING", "nothing called x").message).toBe("nothing called x");
  });

  it("keep cause and details", () => {
    const cause = new Error("disk full");
    const error = testError("TRAWL_ERR_TEST_BROKE", undefined, { cause, details: { file: "a" } });
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ file: "a" });
  });

  it("turn a code no catalogue lists into an internal error naming it", () => {
    const error = createError("TRAWL_ERR_TEST_NOWHERE");
    expect(error).toBeInstanceOf(InternalError);
    expect(error).toMatchObject({
      code: "TRAWL_ERR_CORE_INTERNAL",
      exitCode: ExitCode.failed,
      statusCode: 500,
    });
    expect(error.message).toContain("TRAWL_ERR_TEST_NOWHERE");
  });

  it("give uncatalogued codes their class's kind, and core's own errors theirs", () => {
    expect(new UsageError("TRAWL_ERR_TEST_OTHER", "x")).toMatchObject({ exitCode: 2, statusCode: 400 });
    expect(new NotFoundError("TRAWL_ERR_TEST_OTHER", "x")).toMatchObject({ exitCode: 2, statusCode: 404 });
    expect(new TrawlError("TRAWL_ERR_TEST_OTHER", "x")).toMatchObject({ exitCode: 1, statusCode: 500 });
    expect(new AbortedError()).toMatchObject({ code: "TRAWL_ERR_CORE_ABORTED", exitCode: 130 });
    expect(new RunNotFoundError("RUN-1")).toMatchObject({
      code: "TRAWL_ERR_ENGINE_RUN_NOT_FOUND",
      message: "no run RUN-1",
      exitCode: 2,
      statusCode: 404,
    });
  });
});
