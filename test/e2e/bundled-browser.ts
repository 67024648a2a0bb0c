/** The browser the end-to-end tests drive: the bundled Chromium, whatever the system has. */
import { chromium, type Browser } from "playwright-core";
import { locateChromium } from "../../src/fetch/browser/locate-chromium.ts";

/** Launches the Chromium of `@sparticuz/chromium` (a `PATH` without browsers skips system ones). */
export async function launchBundledChromium(): Promise<Browser> {
  const found = await locateChromium({ ...process.env, PATH: "/nonexistent" });
  return chromium.launch({ executablePath: found.executablePath, env: { ...process.env, ...found.env } });
}
