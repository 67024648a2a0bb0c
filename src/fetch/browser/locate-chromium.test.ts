import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserCacheDir, locateChromium } from "./locate-chromium.ts";

// No system browser: the bundled one is unpacked (once per version into the shared cache).
const noSystemBrowser = { ...process.env, PATH: "/nonexistent", TRAWL_CHROMIUM: "" };

describe("locateChromium", () => {
  it("unpacks the bundled Chromium once and launches it", async () => {
    const found = await locateChromium(noSystemBrowser);
    expect(found.source).toBe("@sparticuz/chromium");
    expect(found.executablePath.startsWith(browserCacheDir(noSystemBrowser))).toBe(true);
    const again = await locateChromium(noSystemBrowser);
    expect(again.executablePath).toBe(found.executablePath);
    const browser = await chromium.launch({
      executablePath: found.executablePath,
      env: { ...process.env, ...found.env },
    });
    try {
      const page = await browser.newPage();
      await page.setContent(
        "<p id=x>ok</p><script>document.getElementById('x').textContent = 'ran'</script>",
      );
      expect(await page.textContent("#x")).toBe("ran");
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("prefers TRAWL_CHROMIUM and refuses one that does not exist", async () => {
    const bundled = await locateChromium(noSystemBrowser);
    expect(await locateChromium({ ...noSystemBrowser, TRAWL_CHROMIUM: bundled.executablePath })).toEqual({
      executablePath: bundled.executablePath,
      env: {},
      source: "TRAWL_CHROMIUM",
    });
    await expect(locateChromium({ ...noSystemBrowser, TRAWL_CHROMIUM: "/no/such/chrome" })).rejects.toThrow(
      /TRAWL_CHROMIUM points to \/no\/such\/chrome, which does not exist/,
    );
  }, 60_000);
});
