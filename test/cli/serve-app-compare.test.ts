import { readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startFaultSite } from "../fixtures/fault-site.ts";
import { makeWorkDir, parseJson, runCli, startCli } from "./run-cli.ts";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** The header that carries an access token. */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("trawl serve", () => {
  it("serves the API on loopback and stops cleanly on SIGTERM", async () => {
    const { home } = await makeWorkDir();
    const port = await freePort();
    const server = startCli(["serve", "--port", String(port)], { home });
    await server.waitForStderr(/trawl is at http:\/\/127\.0\.0\.1:\d+ /);
    // Not on a terminal (a log, a journal): the address without the token, and where the token is.
    const token = (await readFile(join(home, "access-token"), "utf8")).trim();
    expect(server.stderr()).toContain(`trawl is at http://127.0.0.1:${port} (trawl app opens it signed in;`);
    expect(server.stderr()).toContain(join(home, "access-token"));
    expect(server.stderr()).not.toContain(token);
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(401);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: bearer(token) });
    expect(await health.json()).toMatchObject({ status: "ok", scheduler: { running: true } });
    server.child.kill("SIGTERM");
    const ended = await server.result;
    expect(ended.code).toBe(0);
  });

  it("survives a scraper that throws where nobody catches it", async () => {
    const site = await startFaultSite();
    const { dir, home } = await makeWorkDir();
    const file = join(dir, "rogue.mjs");
    await writeFile(
      file,
      `export default {
        name: "rogue",
        targets: [{ name: "one", start: "${site.url}/ok" }],
        pages: { page: { record: { title: "h1" } } },
        politeness: { robots: "ignore" },
        setup() { setTimeout(() => { throw new Error("rogue timer"); }, 10); },
      };\n`,
    );
    const port = await freePort();
    const server = startCli(["serve", "--port", String(port), "--no-scheduler", "--scrapers", dir], { home });
    await server.waitForStderr(/trawl is at/);
    const token = (await readFile(join(home, "access-token"), "utf8")).trim();
    const started = await fetch(`http://127.0.0.1:${port}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bearer(token) },
      body: JSON.stringify({ file }),
    });
    expect(started.status).toBe(202);
    await server.waitForStderr(/uncaught: Error: rogue timer/);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`, { headers: bearer(token) });
    expect(health.status).toBe(200);
    server.child.kill("SIGTERM");
    expect((await server.result).code).toBe(0);
    await site.close();
  });

  it("refuses a bad port with exit 2", async () => {
    const { home } = await makeWorkDir();
    const result = await runCli(["serve", "--port", "99999"], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/port number/);
  });
});

describe("trawl app", () => {
  it("starts the server in the background once, and finds it running the next time", async () => {
    const { home } = await makeWorkDir();
    const port = await freePort();
    const first = parseJson<{ url: string; started: boolean; pid: number }>(
      await runCli(["app", "--port", String(port), "--no-open", "--json"], { home }),
    );
    expect(first).toMatchObject({ url: `http://127.0.0.1:${port}`, started: true, browser: null });
    // The link it opens signs the browser in: the data directory's token.
    const token = (await readFile(join(home, "access-token"), "utf8")).trim();
    expect(first).toMatchObject({ link: `http://127.0.0.1:${port}/?token=${token}` });
    try {
      const again = parseJson(await runCli(["app", "--port", String(port), "--no-open", "--json"], { home }));
      expect(again).toMatchObject({ started: false, pid: null });
    } finally {
      process.kill(first.pid, "SIGTERM");
    }
  });
});

describe("trawl compare", () => {
  it("prints two runs side by side and the record differences", async () => {
    const site = await startFaultSite();
    const { dir, home } = await makeWorkDir();
    const file = join(dir, "pages.yaml");
    const definition = (paths: string[]) =>
      [
        "name: pages",
        "targets:",
        ...paths.map((p, i) => `  - { name: t${i}, start: "${site.url}${p}" }`),
        "pages:",
        "  page:",
        "    record: { url: { from: url }, status: { from: status } }",
        "politeness: { robots: ignore }",
        "key: url",
        "",
      ].join("\n");
    await writeFile(file, definition(["/ok", "/redirect/0"]));
    const a = parseJson<{ id: string }>(await runCli(["run", file, "--json"], { home })).id;
    await writeFile(file, definition(["/ok", "/latin1"]));
    const b = parseJson<{ id: string }>(await runCli(["run", file, "--json"], { home })).id;
    const json = parseJson<{ key: string[]; records: { counts: Record<string, number> } }>(
      await runCli(["compare", a, b, "--json"], { home }),
    );
    expect(json.key).toEqual(["url"]);
    expect(json.records.counts).toEqual({ added: 1, removed: 1, changed: 0 });
    const text = await runCli(["compare", a, b], { home });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/records by key url: 1 added, 1 removed, 0 changed, 1 unchanged/);
    // Runs of another scraper: compared, with a warning on stderr.
    await writeFile(file, definition(["/ok"]).replace("name: pages", "name: other"));
    const other = parseJson<{ id: string }>(await runCli(["run", file, "--json"], { home })).id;
    const across = await runCli(["compare", a, other], { home });
    expect(across.stderr).toContain(
      "warning: A is a run of pages, B of other: runs of different scrapers rarely describe the same records",
    );
    expect((await runCli(["compare", a, "RUN-20200101-000000"], { home })).code).toBe(2);
    await site.close();
  });
});
