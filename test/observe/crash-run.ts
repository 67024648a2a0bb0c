/**
 * A scraper that crashes its process on cue, for the crash and last-line tests: the bookshop
 * example as a `.mjs` definition whose `setup` waits for a trigger file, then logs a canary line
 * through the run's log, says so on stderr and fails where nobody catches it. It crashes once: a
 * marker file keeps the resumed run from crashing again.
 */
import { join } from "node:path";
import { parse } from "yaml";
import { readExample, type DemoSite } from "../../src/demo/index.ts";
import { writeText } from "../cli/run-cli.ts";

/** What the scraper does when the trigger file appears. */
export type CrashKind = "rejection" | "exception" | "hang";

/** The files of one crashing scraper. */
export interface CrashingScraper {
  /** The definition, for `trawl run`. */
  file: string;
  /** Create it (any content) to set the crash off. */
  trigger: string;
  /** The run log line written just before the crash. */
  canary: string;
}

/**
 * Writes the crashing bookshop scraper into `dir`. `hang`: instead of failing, it logs the canary
 * and then blocks the process for a minute (the test kills it).
 */
export async function writeCrashingScraper(
  dir: string,
  site: DemoSite,
  kind: CrashKind,
): Promise<CrashingScraper> {
  const definition = parse(await readExample("bookshop", site.url)) as Record<string, unknown>;
  const trigger = join(dir, `crash-now-${kind}`);
  const marker = join(dir, `crashed-${kind}`);
  const canary = `canary before the ${kind} ${Date.now()}`;
  const failure = {
    rejection: `void Promise.reject(new Error("injected rejection"));`,
    exception: `throw new Error("injected exception");`,
    hang: `const until = Date.now() + 60_000; while (Date.now() < until);`,
  }[kind];
  const file = await writeText(
    dir,
    `crashing-${kind}.mjs`,
    `import { existsSync, writeFileSync } from "node:fs";
export default {
  ...${JSON.stringify({ ...definition, name: `crashing-${kind}` })},
  setup(ctx) {
    if (existsSync(${JSON.stringify(marker)})) return;
    const timer = setInterval(() => {
      if (!existsSync(${JSON.stringify(trigger)})) return;
      clearInterval(timer);
      writeFileSync(${JSON.stringify(marker)}, "");
      ctx.log("warn", ${JSON.stringify(canary)});
      process.stderr.write("CANARY LOGGED\\n");
      ${failure}
    }, 20);
    timer.unref();
  },
};
`,
  );
  return { file, trigger, canary };
}
