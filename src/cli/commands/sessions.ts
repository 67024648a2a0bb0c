import type { Command } from "commander";
import { clearSession, fetchError, listSessions, sessionFileOf } from "../../fetch/index.ts";
import { withApp, type GlobalOptions } from "../context.ts";
import { printJson, printTable } from "../output.ts";

/** `trawl sessions` and `trawl sessions clear SCRAPER`: the browser sessions kept between runs. */
export function register(program: Command): void {
  const sessions = program
    .command("sessions")
    .description("list the browser sessions (cookies, storage) kept per scraper between runs")
    .option("--json", "print as JSON on stdout")
    .action((options: GlobalOptions) =>
      withApp(options, async (app) => {
        const all = await listSessions(app.paths.sessions, app.sessionCipher);
        if (options.json) return printJson({ sessions: all });
        if (all.length === 0) return void process.stdout.write("no saved sessions\n");
        printTable(
          ["scraper", "cookies", "sites", "storage origins", "saved"],
          all.map((s) => [s.scraper, s.cookies, s.domains.join(" "), s.origins, s.savedAt]),
        );
      }),
    );
  sessions
    .command("clear")
    .description("forget a scraper's session: its next browser run starts logged out")
    .argument("<scraper>", "scraper name")
    .option("--json", "print as JSON on stdout")
    .action((scraper: string, clearOptions: GlobalOptions) => {
      const options = { ...clearOptions, json: clearOptions.json || sessions.opts<GlobalOptions>().json };
      return withApp(options, async (app) => {
        const cleared = await clearSession(sessionFileOf(app.paths.sessions, scraper));
        if (!cleared) throw fetchError("TRAWL_ERR_FETCH_SESSION_NOT_FOUND", { scraper });
        if (options.json) return printJson({ scraper, cleared });
        process.stdout.write(`cleared the session of ${scraper}\n`);
      });
    });
}
