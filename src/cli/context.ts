import { fileURLToPath } from "node:url";
import { App } from "../app/index.ts";
import { configWithFlags, ExitCode } from "../core/index.ts";
import { reportError } from "./output.ts";
import { openDeferredProcessLog } from "./process-log-setup.ts";

/**
 * The `trawl` command's entry, for starting trawl in another process. Relative to a module two
 * folders below the root, which holds for the sources (`src/cli/`) and the bundle (`dist/cli/`).
 */
export const TRAWL_BIN = fileURLToPath(new URL("../../bin/trawl.js", import.meta.url));

/** Options every command accepts. */
export interface GlobalOptions {
  json?: boolean;
  home?: string;
  database?: string;
}

/**
 * Runs a command body with an open app and turns its outcome into the exit code; errors are
 * reported once, here. The body returns an exit code (0 when it returns nothing).
 */
export async function withApp(
  options: GlobalOptions,
  body: (app: App) => Promise<number | void>,
): Promise<void> {
  let app: App | undefined;
  let code: number;
  try {
    const config = configWithFlags({ home: options.home, database: options.database });
    app = await App.open({
      home: config.home,
      ...(config.databaseUrl && { databaseUrl: config.databaseUrl }),
    });
    await openDeferredProcessLog();
    code = (await body(app)) ?? ExitCode.ok;
  } catch (error) {
    code = reportError(error, options.json ?? false);
  } finally {
    await app?.close();
  }
  process.exitCode = code;
}

/** Like `withApp` for commands that need no data directory (validate). */
export async function withoutApp(options: GlobalOptions, body: () => Promise<number | void>): Promise<void> {
  let code: number;
  try {
    code = (await body()) ?? ExitCode.ok;
  } catch (error) {
    code = reportError(error, options.json ?? false);
  }
  process.exitCode = code;
}
