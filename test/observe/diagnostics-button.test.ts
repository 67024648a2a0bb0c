/**
 * End to end: the Health page's "Download diagnostics" button in a real headless Chromium, over a
 * real server: the browser receives the zip under the server's file name, the zip holds every
 * section, and the export is in the audit log as the API's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { useE2e } from "../e2e/harness.ts";

const e2e = useE2e({ prefix: "trawl-diagnostics-button-" });

describe("the diagnostics button", () => {
  it("downloads the bundle from the Health page", async () => {
    const { page, server, app, dir } = e2e;
    await page.goto(`${server.url}/health`);
    const button = page.getByTestId("diagnostics-download");
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^trawl-diagnostics-\d{8}-\d{6}\.zip$/);
    const file = join(dir, "bundle.zip");
    await download.saveAs(file);
    const files = unzipSync(new Uint8Array(readFileSync(file)));
    const manifest = JSON.parse(strFromU8(files["manifest.json"]!)) as {
      sections: { name: string; status: string }[];
    };
    expect(manifest.sections.filter((s) => s.status !== "ok")).toEqual([]);
    expect(manifest.sections.map((s) => s.name)).toContain("database");
    await expect
      .poll(() => page.getByTestId("diagnostics-saved").textContent())
      .toBe(`Saved ${download.suggestedFilename()}`);
    const [entry] = await app.audit.list({ action: "diagnostics.exported" });
    expect(entry).toMatchObject({ actor: "api", subject: "download" });
    await e2e.shot("diagnostics-button");
  }, 60_000);
});
