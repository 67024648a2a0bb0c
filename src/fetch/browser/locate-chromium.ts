/**
 * Finding a Chromium to drive, without a download step (DESIGN.md §5): `$TRAWL_CHROMIUM`, else a
 * system Chrome or Chromium, else the browser inside the npm package `@sparticuz/chromium`,
 * unpacked once into a cache directory.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createBrotliDecompress } from "node:zlib";
import { extract } from "tar-fs";
import { configFor, findExecutable } from "../../core/index.ts";
import { fetchError } from "../errors.ts";

/** How to start the browser: its executable and the environment it needs. */
export interface ChromiumLocation {
  executablePath: string;
  env: Record<string, string>;
  source: "TRAWL_CHROMIUM" | "system" | "@sparticuz/chromium";
}

const SYSTEM_BROWSERS = [
  "google-chrome",
  "google-chrome-stable",
  "chromium",
  "chromium-browser",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/**
 * Where the bundled browser is unpacked: `$TRAWL_BROWSER_CACHE`, else `$XDG_CACHE_HOME/trawl`,
 * else `~/.cache/trawl`.
 */
export function browserCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return configFor(env).browserCache;
}

/** Finds a Chromium, unpacking the bundled one on first use (a few seconds, once per version). */
export async function locateChromium(env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLocation> {
  const configured = configFor(env).chromium;
  if (configured !== undefined) {
    if (!existsSync(configured)) {
      throw fetchError("TRAWL_ERR_FETCH_BROWSER_NOT_FOUND", { path: configured });
    }
    return { executablePath: configured, env: {}, source: "TRAWL_CHROMIUM" };
  }
  const system = SYSTEM_BROWSERS.map((name) => findExecutable(name, env)).find((path) => path !== undefined);
  if (system) return { executablePath: system, env: {}, source: "system" };
  return bundledChromium(browserCacheDir(env));
}

/**
 * The browser of `@sparticuz/chromium`, unpacked into `<cache>/chromium-<version>-<arch>` with
 * its libraries and fonts. Unpacking goes to a temporary directory that is renamed into place,
 * so concurrent processes never see (or run) a half-written binary; the loser of a race uses the
 * winner's copy. (The package's own `executablePath()` writes in place and breaks under races.)
 */
async function bundledChromium(cache: string): Promise<ChromiumLocation> {
  const entry = fileURLToPath(import.meta.resolve("@sparticuz/chromium"));
  const packageDir = dirname(dirname(dirname(entry)));
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
    version: string;
  };
  const dir = join(cache, `chromium-${version}-${process.arch}`);
  const executablePath = join(dir, "chromium");
  if (!existsSync(executablePath)) await unpack(join(packageDir, "bin"), dir, executablePath);
  return {
    executablePath,
    source: "@sparticuz/chromium",
    env: { LD_LIBRARY_PATH: join(dir, "lib"), FONTCONFIG_FILE: join(dir, "fonts.conf") },
  };
}

async function unpack(bin: string, dir: string, executablePath: string): Promise<void> {
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp);
  try {
    const inflate = (name: string) => createReadStream(join(bin, name)).pipe(createBrotliDecompress());
    await Promise.all([
      pipeline(inflate("chromium.br"), createWriteStream(join(tmp, "chromium"), { mode: 0o755 })),
      pipeline(inflate("swiftshader.tar.br"), extract(tmp)),
      pipeline(inflate("al2023.tar.br"), extract(tmp)),
      pipeline(inflate("fonts.tar.br"), extract(tmp)),
    ]);
    // The package's fonts.conf names /tmp/fonts; ours names where the fonts are, and the system's.
    writeFileSync(
      join(tmp, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, "fonts")}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(dir, "fontconfig-cache")}</cachedir>\n</fontconfig>\n`,
    );
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(executablePath)) throw error;
  }
}
