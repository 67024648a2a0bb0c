/**
 * Runs the demo site in the foreground until Ctrl-C, without the rest of trawl:
 * `npx tsx src/demo/serve.ts [--port 8080] [--proxy-port 8081] [--host 127.0.0.1] [--books 60]
 * [--companies 5] [--seed 1] [--no-faults]`. `trawl demo` is the user-facing way; this is for
 * development, and for running an example by hand.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { describeError } from "../core/index.ts";
import { DEMO_PROXY_PASSWORD, DEMO_PROXY_PASSWORD_ENV } from "./demo-proxy.ts";
import { startDemoSite, type DemoSiteOptions } from "./demo-site.ts";

/** Turns command-line arguments into demo site options (numbers parsed, absent ones left out). */
export function demoOptionsFromArgs(args: string[]): DemoSiteOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      "proxy-port": { type: "string" },
      host: { type: "string" },
      books: { type: "string" },
      companies: { type: "string" },
      seed: { type: "string" },
      "no-faults": { type: "boolean" },
    },
  });
  const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const options: DemoSiteOptions = {
    port: number(values.port),
    proxyPort: number(values["proxy-port"]),
    host: values.host,
    booksPerCategory: number(values.books),
    companies: number(values.companies),
    seed: number(values.seed),
    faults: values["no-faults"] ? false : undefined,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

async function main(): Promise<void> {
  const site = await startDemoSite(demoOptionsFromArgs(process.argv.slice(2)));
  process.stderr.write(
    `demo site listening on ${site.url}, its proxy on ${site.proxyUrl} (Ctrl-C to stop)\n` +
      `the proxy example reads the proxy's password from the environment: ` +
      `${DEMO_PROXY_PASSWORD_ENV}=${DEMO_PROXY_PASSWORD} npx trawl run examples/books-proxied.yaml\n`,
  );
  process.once("SIGINT", () => {
    void site.close().then(() => process.stderr.write(`served ${site.stats().requests} requests\n`));
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${describeError(error)}\n`);
    process.exitCode = 2;
  });
}
