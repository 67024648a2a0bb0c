import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { request, serve } from "./helpers.ts";

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
    expect((await request(f.server.url, "GET", "/api/health")).status).toBe(200);
  });
});
