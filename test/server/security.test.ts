import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { startServer } from "../../src/server/index.ts";
import { bearer, request, serve } from "./helpers.ts";

describe("Host, Origin and CORS", () => {
  it("refuses a Host that is not the server's own loopback name and port (DNS rebinding)", async () => {
    const f = await serve();
    const port = new URL(f.server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await f.api("GET", "/api/health", undefined, { host })).status, host).toBe(200);
    }
    for (const host of [
      `evil.example:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
      "127.0.0.1",
      "attacker.localhost",
    ]) {
      const refused = await f.api("GET", "/api/health", undefined, { host });
      expect(refused.status, host).toBe(403);
      expect(refused.json).toMatchObject({
        statusCode: 403,
        code: "TRAWL_ERR_HTTP_HOST",
        error: "Forbidden",
      });
    }
  });

  it("refuses state-changing requests from a foreign, opaque or other-port origin, and admits the app's own", async () => {
    const f = await serve();
    const port = Number(new URL(f.server.url).port);
    const body = { file: f.scraperFile };
    for (const origin of [
      "http://evil.example",
      "null",
      `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`,
    ]) {
      const refused = await f.api("POST", "/api/runs", body, { origin });
      expect(refused.status, origin).toBe(403);
      expect(refused.json.code).toBe("TRAWL_ERR_HTTP_ORIGIN");
    }
    const crossSite = await f.api("POST", "/api/runs", body, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      expect((await f.api("POST", "/api/runs", body, { origin })).status, origin).toBe(202);
    }
    // Without Origin (curl, scripts, the CLI) it is the same machine's user: admitted.
    expect((await f.api("POST", "/api/runs", body)).status).toBe(202);
    expect(await f.app.store.runs.list()).toHaveLength(3);
  });

  it("never sends CORS headers, so no other origin can read a response", async () => {
    const f = await serve();
    const read = await f.api("GET", "/api/health", undefined, { origin: "http://evil.example" });
    expect(read.status).toBe(200);
    expect(Object.keys(read.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    const preflight = await f.api("OPTIONS", "/api/runs", undefined, {
      origin: "http://evil.example",
      "access-control-request-method": "POST",
    });
    expect(preflight.status).toBe(403);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });
});

describe("the access token", () => {
  const none = { authorization: "" };

  it("guards the API and the event stream: 401 without the token or with a wrong one", async () => {
    const f = await serve();
    for (const path of ["/api/health", "/api/runs", "/api/events", "/api/openapi.json", "/api"]) {
      for (const headers of [none, { authorization: "Bearer not-the-token" }]) {
        const refused = await f.api("GET", path, undefined, headers);
        expect(refused.status, path).toBe(401);
        expect(refused.json, path).toMatchObject({
          code: "TRAWL_ERR_HTTP_UNAUTHORIZED",
          error: "Unauthorized",
        });
      }
    }
    expect((await f.api("POST", "/api/runs", { file: f.scraperFile }, none)).status).toBe(401);
    expect(await f.app.store.runs.list()).toEqual([]);
    expect((await f.api("GET", "/api/runs")).status).toBe(200);
  });

  it("is its data directory's own: a file of mode 0600 in a directory of mode 0700", async () => {
    const f = await serve();
    expect(statSync(f.app.paths.home).mode & 0o777).toBe(0o700);
    expect(statSync(f.app.paths.accessToken).mode & 0o777).toBe(0o600);
    expect(readFileSync(f.app.paths.accessToken, "utf8").trim()).toBe(f.server.accessToken);
    expect(f.server.link).toBe(`${f.server.url}/?token=${f.server.accessToken}`);
  });

  it("signs the app in through its link: a session cookie, and the address without the token", async () => {
    const ui = mkdtempSync(join(tmpdir(), "trawl-ui-"));
    writeFileSync(join(ui, "index.html"), "<!doctype html><title>trawl</title>");
    const f = await serve({ uiDir: ui });
    // The app's files need no token: they hold no data.
    expect((await f.api("GET", "/runs/RUN-1", undefined, none)).status).toBe(200);
    const linked = await f.api("GET", `/runs/RUN-1?tab=logs&token=${f.server.accessToken}`, undefined, none);
    expect(linked.status).toBe(303);
    expect(linked.headers.location).toBe("/runs/RUN-1?tab=logs");
    const [cookie] = linked.headers["set-cookie"] ?? [];
    expect(cookie).toMatch(/^trawl_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(f.server.accessToken);
    const session = cookie!.split(";")[0]!;
    expect((await f.api("GET", "/api/runs", undefined, { ...none, cookie: session })).status).toBe(200);
    expect((await f.api("GET", "/api/runs", undefined, { ...none, cookie: "trawl_session=x" })).status).toBe(
      401,
    );
    const wrong = await f.api("GET", "/?token=not-the-token", undefined, none);
    expect(wrong.status).toBe(401);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    rmSync(ui, { recursive: true, force: true });
  });

  it("keeps another user of the machine out: it can neither read the token nor use the API", async () => {
    const f = await serve();
    // As root (CI, this machine) the client runs as `nobody`; as anyone else, it is this user
    // without the token, which the file modes above keep from other users.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const client = `
      const [url, tokenFile, file] = process.argv.slice(1);
      let read = "read";
      try { require("node:fs").readFileSync(tokenFile, "utf8"); } catch (e) { read = e.code; }
      const post = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ file }) };
      Promise.all([fetch(url + "/api/runs", post), fetch(url + "/api/runs")]).then(([started, listed]) =>
        console.log(JSON.stringify({ read, started: started.status, listed: listed.status })));`;
    // Not synchronously: the server answering the client runs in this process.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["-e", client, f.server.url, f.app.paths.accessToken, f.scraperFile],
      { ...asNobody, cwd: "/", encoding: "utf8" },
    );
    const seen = JSON.parse(stdout) as { read: string; started: number; listed: number };
    if ("uid" in asNobody) expect(seen.read).toBe("EACCES");
    expect(seen).toMatchObject({ started: 401, listed: 401 });
    expect(await f.app.store.runs.list()).toEqual([]);
  });
});

describe("listening beyond loopback", () => {
  it("refuses without a PIN; with one, starts and warns to put a TLS proxy in front", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trawl-exposed-"));
    const app = await App.open({ home: join(dir, "home") });
    const options = { app, host: "0.0.0.0", port: 0, uiDir: null, scheduler: false, healthSampleMs: 0 };
    try {
      await expect(startServer(options)).rejects.toMatchObject({
        code: "TRAWL_ERR_HTTP_EXPOSED",
        message: expect.stringContaining("set one first (trawl security pin set)"),
      });
      await app.lock.setPin("135790");
      const lines: string[] = [];
      const server = await startServer({
        ...options,
        log: (level, message) => lines.push(`${level} ${message}`),
      });
      await server.close();
      expect(lines).toContainEqual(
        expect.stringMatching(/^warn listening on 0\.0\.0\.0, .*TLS proxy in front$/),
      );
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("security headers", () => {
  it("sends a CSP without inline scripts, no framing, nosniff and no referrer, on the API and the app", async () => {
    const ui = mkdtempSync(join(tmpdir(), "trawl-ui-"));
    writeFileSync(join(ui, "index.html"), "<!doctype html><title>trawl</title>");
    const f = await serve({ uiDir: ui });
    for (const path of ["/api/health", "/", "/runs/RUN-1"]) {
      const { status, headers } = await f.api("GET", path);
      expect(status, path).toBe(200);
      const csp = String(headers["content-security-policy"]);
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("script-src-attr 'none'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain("unsafe-inline");
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe("no-referrer");
    }
    rmSync(ui, { recursive: true, force: true });
  });
});

describe("slow clients", () => {
  it("cuts a client that trickles its headers", async () => {
    const f = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const { port } = new URL(f.server.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    socket.write("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const trickle = setInterval(() => socket.write("X-Slow: 1\r\n"), 100);
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    const started = Date.now();
    await new Promise((resolve) => socket.on("close", resolve));
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("still answers well-behaved clients meanwhile", async () => {
    const f = await serve({ headersTimeoutMs: 300 });
    expect((await request(f.server.url, "GET", "/api/health", undefined, bearer(f.server))).status).toBe(200);
  });
});
