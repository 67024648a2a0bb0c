import { spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { configWithFlags, findExecutable, homePaths } from "../../core/index.ts";
import { loadAccessToken } from "../../security/index.ts";
import { DEFAULT_PORT } from "../../server/index.ts";
import { TRAWL_BIN as BIN, withoutApp, type GlobalOptions } from "../context.ts";
import { portParser } from "../option-parsers.ts";
import { cliError } from "../errors.ts";
import { printJson } from "../output.ts";

/** Chromium-family browsers, by command name (Linux) and by path (macOS, Windows); the first found opens the app. */
const BROWSERS = [
  "google-chrome",
  "google-chrome-stable",
  "chromium",
  "chromium-browser",
  "microsoft-edge",
  "brave-browser",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe",
];

/** What answers at `url`: this data directory's trawl, another's (it refuses our token), or nothing. */
async function probe(url: string, token: string): Promise<"ours" | "other" | "none"> {
  try {
    const response = await fetch(`${url}/api/health`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(1000),
    });
    if (response.status === 401) return "other";
    const body = (await response.json()) as { status?: string; version?: string };
    return response.ok && body.status === "ok" && typeof body.version === "string" ? "ours" : "other";
  } catch {
    return "none";
  }
}

/** The data directory's access token, made (with the directory, mode 0700) on first use. */
function accessTokenOf(home: string | undefined): string {
  const paths = homePaths(configWithFlags({ home }).home);
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  return loadAccessToken(paths.accessToken);
}

/** Opens `url` as an app window of a Chromium-family browser, else in the default browser. */
function openWindow(url: string): string {
  for (const name of BROWSERS) {
    const browser = findExecutable(name);
    if (!browser) continue;
    spawn(browser, [`--app=${url}`], { detached: true, stdio: "ignore" }).unref();
    return browser;
  }
  const opener =
    process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  spawn(opener, [url], { detached: true, stdio: "ignore" })
    .on("error", () => undefined)
    .unref();
  return opener;
}

/** Starts `trawl serve` in the background, its output in `<home>/logs/server.log`, and waits until it answers. */
async function startBackgroundServer(
  url: string,
  port: number,
  home: string | undefined,
  token: string,
): Promise<number> {
  const logs = join(configWithFlags({ home }).home, "logs");
  mkdirSync(logs, { recursive: true });
  const out = openSync(join(logs, "server.log"), "a");
  const args = [BIN, "serve", "--port", String(port), ...(home ? ["--home", home] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", out, out] });
  child.unref();
  for (let i = 0; i < 150; i++) {
    if ((await probe(url, token)) === "ours") return child.pid ?? 0;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw cliError(
    "TRAWL_ERR_CLI_SERVE",
    `the server did not start on port ${port}; see ${join(logs, "server.log")}`,
  );
}

/** `trawl app`: the web app in a window of its own, starting the server when none is running. */
export function register(program: Command): void {
  program
    .command("app")
    .description("open the web app (starting `trawl serve` in the background when it is not running)")
    .option("--port <port>", "the server's port", portParser({ anyFreePort: false }), DEFAULT_PORT)
    .option("--no-open", "start the server if needed and print the address, without opening a browser")
    .option("--json", "print { url, started, pid, browser } on stdout")
    .action((options: GlobalOptions & { port: number; open: boolean }) =>
      withoutApp(options, async () => {
        const url = `http://127.0.0.1:${options.port}`;
        const token = accessTokenOf(options.home);
        const found = await probe(url, token);
        if (found === "other")
          throw cliError(
            "TRAWL_ERR_CLI_SERVE",
            `port ${options.port} answers, but not as the trawl of this data directory (it refused its access token): stop it, or pass --port`,
          );
        const running = found === "ours";
        const pid = running ? null : await startBackgroundServer(url, options.port, options.home, token);
        // The link signs the browser in (the server trades the token for a session cookie).
        const link = `${url}/?token=${token}`;
        const browser = options.open ? openWindow(link) : null;
        if (options.json) return printJson({ url, link, started: !running, pid, browser });
        process.stderr.write(`${running ? "trawl is running" : `started trawl (pid ${pid})`} at ${url}\n`);
        if (browser) process.stderr.write(`opened with ${browser}\n`);
      }),
    );
}
