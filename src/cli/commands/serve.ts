import { resolve } from "node:path";
import type { Command } from "commander";
import { EXAMPLES_DIR } from "../../demo/index.ts";
import { configWithFlags } from "../../core/index.ts";
import type { LogLevel } from "../../core/index.ts";
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from "../../server/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { portParser } from "../option-parsers.ts";
import { daemonLog } from "../process-log-setup.ts";

interface ServeOptions extends GlobalOptions {
  host: string;
  port: number;
  scheduler: boolean;
  scrapers?: string[];
}

/**
 * The folders whose scrapers the app lists: `--scrapers`, else `TRAWL_SCRAPERS` (separated like
 * PATH), else the current directory; the bundled examples always.
 */
function scraperFolders(given: string[] | undefined): string[] {
  const configured = configWithFlags({ scrapers: given }).scraperFolders;
  return [...new Set([...configured.map((folder) => resolve(folder)), resolve(EXAMPLES_DIR)])];
}

/** `trawl serve`: the API, the live event stream and the web app, until Ctrl-C or SIGTERM. */
export function register(program: Command): void {
  program
    .command("serve")
    .description("serve the web app and the API (loopback only unless --host says otherwise)")
    .option(
      "--port <port>",
      "port to listen on (0: any free port)",
      portParser({ anyFreePort: true }),
      DEFAULT_PORT,
    )
    .option(
      "--host <host>",
      "address to listen on; anything but loopback exposes trawl to the network",
      DEFAULT_HOST,
    )
    .option("--no-scheduler", "do not run the scheduler in this process")
    .option(
      "--scrapers <dir...>",
      "folders whose scraper definitions the app lists (default: $TRAWL_SCRAPERS, else .)",
    )
    .action((options: ServeOptions) =>
      withApp(options, async (app) => {
        const server = await startServer({
          app,
          host: options.host,
          port: options.port,
          scheduler: options.scheduler,
          scraperFolders: scraperFolders(options.scrapers),
          log,
        });
        // The link carries the access token: shown on a terminal, kept out of logs (a service's
        // journal, `trawl app`'s server.log), where `trawl app` or the token file serve instead.
        const where = process.stderr.isTTY
          ? `${server.link} (the link signs a browser in`
          : `${server.url} (trawl app opens it signed in`;
        log(
          "info",
          `trawl is at ${where}; scripts send the token of ${app.paths.accessToken} as a bearer token; API docs at ${server.url}/api/docs); Ctrl-C stops it`,
        );
        // A scraper's stray asynchronous exception does not take the server (and every other run)
        // down: the crash handler (process-log-setup.ts) reports it and the server goes on.
        const signal = await new Promise<NodeJS.Signals>((resolve) => {
          process.once("SIGINT", () => resolve("SIGINT"));
          process.once("SIGTERM", () => resolve("SIGTERM"));
        });
        log("info", `${signal}: stopping (runs of this process stop gracefully and stay resumable)`);
        await server.close();
        return signal === "SIGINT" ? 130 : 0;
      }),
    );
}

/** The server's lines: the process log (`serve.*.log`) and stderr. */
const log: (level: LogLevel, message: string) => void = daemonLog("server");
