/** Shared set-up of the server tests: a data directory, a fixture site, a tiny scraper and a server on a free port. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { App } from "../../src/app/index.ts";
import { EventHub, startServer, type ServerOptions, type TrawlServer } from "../../src/server/index.ts";
import { startFaultSite, type FaultSite } from "../fixtures/fault-site.ts";

export interface Fixture {
  dir: string;
  app: App;
  site: FaultSite;
  server: TrawlServer;
  /** A scraper of `/slow` pages on the site: 3 targets, held while `hold` is on. */
  scraperFile: string;
  release(): void;
  /** Holds `/slow` requests again until `release()`. */
  hold(): void;
  /** Gives page `n` another title from now on. */
  retitle(n: number, title: string): void;
  /** Calls the API; `body` is sent as JSON. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
}

const fixtures: Fixture[] = [];

afterEach(async () => {
  for (const f of fixtures.splice(0)) {
    f.release();
    await f.server.close();
    await f.app.close();
    await f.site.close();
    rmSync(f.dir, { recursive: true, force: true });
  }
});

/** The header that carries a server's access token, as a script sends it. */
export function bearer(server: { accessToken: string }): Record<string, string> {
  return { authorization: `Bearer ${server.accessToken}` };
}

/** Raw HTTP, so that Host, Origin and the rest are exactly what the test says. */
export function request(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${url}${path}`,
      {
        method,
        headers: { ...(payload !== undefined && { "content-type": "application/json" }), ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          let json: unknown = text;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
        });
      },
    );
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export async function serve(options: Partial<ServerOptions> & { hold?: boolean } = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "trawl-server-"));
  let holding = options.hold ?? false;
  let held: (() => void)[] = [];
  const titles = new Map<string, string>();
  const site = await startFaultSite({
    routes: {
      "/slow": (req, res) => {
        const n = new URL(req.url ?? "/", "http://x").searchParams.get("n") ?? "0";
        const answer = () =>
          res
            .writeHead(200, { "content-type": "text/html" })
            .end(`<h1>${titles.get(n) ?? `Item ${n}`}</h1><p class="k">${n}</p>`);
        if (holding) held.push(answer);
        else answer();
      },
    },
  });
  const scraperFile = join(dir, "tiny.yaml");
  writeFileSync(
    scraperFile,
    [
      "name: tiny",
      "targets:",
      ...["a", "b", "c"].map((t, i) => `  - { name: ${t}, start: "${site.url}/slow?n=${i}" }`),
      "pages:",
      "  page:",
      "    record: { title: h1, key: .k }",
      "politeness: { robots: ignore, rate_per_host: 1000 }",
      "",
    ].join("\n"),
  );
  const app = await App.open({ home: join(dir, "home") });
  // No health samples unless asked for: their events would take ids the stream tests expect.
  const server = await startServer({
    app,
    port: 0,
    hub: new EventHub(1000, 0),
    uiDir: null,
    healthSampleMs: 0,
    scraperFolders: [dir],
    ...options,
  });
  const fixture: Fixture = {
    dir,
    app,
    site,
    server,
    scraperFile,
    release() {
      holding = false;
      for (const answer of held.splice(0)) answer();
      held = [];
    },
    hold: () => void (holding = true),
    retitle: (n, title) => void titles.set(String(n), title),
    // With the access token, unless the test sends its own `authorization` (an empty one: none).
    api: (method, path, body, headers) =>
      request(server.url, method, path, body, { ...bearer(server), ...headers }),
  };
  fixtures.push(fixture);
  return fixture;
}

/** Polls `condition` every 20 ms for up to 10 s. */
export async function until(condition: () => Promise<boolean> | boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
