/**
 * End to end: the process-log viewer (/logs) and the Health page's crash reports in a real headless
 * Chromium, over a real server whose data directory holds real pino log files (written by this
 * process's own process log) and a crash report. Filters by level, run and text; "Follow" shows a
 * line written after the page loaded, without a reload.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildCrashReport,
  processLog,
  startProcessLog,
  stopProcessLog,
  writeCrashReport,
} from "../../src/observe/index.ts";
import { useE2e } from "../e2e/harness.ts";

const RUN = "RUN-20261206-ABC123";

const e2e = useE2e({
  prefix: "trawl-logs-viewer-",
  beforeServer: async ({ dir }) => {
    const home = join(dir, "home");
    await startProcessLog({ home, process: "serve", level: "debug" });
    processLog("server").info("trawl is at somewhere");
    processLog("engine", RUN).info("run started");
    processLog("run", RUN).warn("validate: dropped a record");
    processLog("scheduler").debug("nothing due");
    const report = buildCrashReport(new Error("boom in a scraper"), "uncaughtException", {
      home,
      process: "cli",
    });
    writeCrashReport(home, { ...report, runIds: [RUN] });
  },
});
afterAll(() => stopProcessLog());

describe("the process-log viewer", () => {
  it("lists crash reports on the Health page, filters the logs, and follows new lines", async () => {
    const { page, server } = e2e;
    await page.goto(`${server.url}/health`);
    const crash = page.getByTestId("crash-report");
    await expect.poll(() => crash.count()).toBe(1);
    expect(await crash.textContent()).toContain("boom in a scraper");
    expect(await crash.getByRole("link", { name: RUN }).count()).toBe(1);
    await crash.getByTestId("crash-toggle").click();
    await expect
      .poll(() => page.getByTestId("crash-stack").textContent())
      .toContain("Error: boom in a scraper");

    await page.getByTestId("health-logs-link").click();
    const lines = page.getByTestId("logs-line");
    await expect.poll(() => lines.count()).toBe(4);

    await page.getByTestId("logs-level").selectOption("warn");
    await expect.poll(() => lines.count()).toBe(1);
    expect(await lines.first().getAttribute("data-component")).toBe("run");
    expect(page.url()).toContain("level=warn");

    await page.getByTestId("logs-level").selectOption("");
    await page.getByTestId("logs-run").fill(RUN);
    await page.getByTestId("logs-run").press("Enter");
    await expect.poll(() => lines.count()).toBe(2);

    await page.getByTestId("logs-run").fill("");
    await page.getByTestId("logs-q").fill("NOTHING DUE");
    await page.getByTestId("logs-apply").click();
    await expect.poll(() => lines.count()).toBe(1);
    expect(await lines.first().getAttribute("data-level")).toBe("debug");

    await page.getByTestId("logs-q").fill("fresh");
    await page.getByTestId("logs-q").press("Enter");
    await expect.poll(() => page.getByText("No log lines match these filters.").count()).toBe(1);
    const follow = page.getByTestId("logs-follow");
    await follow.press("Enter");
    expect(await follow.getAttribute("aria-pressed")).toBe("true");
    processLog("server").info("a fresh line");
    await expect.poll(() => lines.count(), { timeout: 10_000 }).toBe(1);
    expect(await lines.first().textContent()).toContain("a fresh line");
    await e2e.shot("process-logs");
  });
});
