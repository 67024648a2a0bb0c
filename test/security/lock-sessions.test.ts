/**
 * The app lock through a real server, SQLite file and HTTP (issue 15, items 1, 2 and 4), with an
 * injected clock: with a PIN the access token alone is refused; a correct PIN gives a session
 * cookie (and a CSRF token for changes) that idle time or the lock button ends; attempts are
 * limited (1 s, 2 s, 4 s, … after 5 wrong) and disabled after 100 until `trawl security unlock-reset`.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../src/app/index.ts";
import { ManualClock } from "../../src/core/index.ts";
import { startServer, type TrawlServer } from "../../src/server/index.ts";
import { runCli } from "../cli/run-cli.ts";
import { bearer, request, until, type ApiResponse } from "../server/helpers.ts";

const PIN = "246810";
const MINUTE = 60_000;
let dir: string;
let home: string;
let clock: ManualClock;
let app: App;
let server: TrawlServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "trawl-lock-"));
  home = join(dir, "home");
  clock = new ManualClock(Date.parse("2026-01-01T00:00:00Z"));
  app = await App.open({ home, clock });
  server = await startServer({
    app,
    port: 0,
    uiDir: null,
    healthSampleMs: 0,
    scheduler: false,
    heartbeatMs: 50,
  });
});

afterAll(async () => {
  await server.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  request(server.url, method, path, body, headers);

/** The cookies a response sets, by name, as `name=value`. */
function cookiesOf(response: ApiResponse): Record<string, string> {
  const all = (response.headers["set-cookie"] ?? []).map((line) => line.split(";")[0]!);
  return Object.fromEntries(all.map((pair) => [pair.split("=")[0]!, pair]));
}

async function unlock(pin = PIN): Promise<{ cookie: string; csrf: string; response: ApiResponse }> {
  const response = await api("POST", "/api/security/unlock", { pin });
  const cookies = cookiesOf(response);
  return {
    cookie: `${cookies.trawl_session}; ${cookies.trawl_csrf}`,
    csrf: response.json?.csrfToken,
    response,
  };
}

async function actions(): Promise<string[]> {
  return (await app.audit.list({})).map((entry) => entry.action);
}

describe.sequential("the app lock", () => {
  it("with a PIN, the access token alone is refused; unlocking gives a session cookie; CSRF; lock ends it", async () => {
    expect((await api("GET", "/api/runs", undefined, bearer(server))).status).toBe(200);
    expect((await api("GET", "/api/security/status")).json).toMatchObject({ locked: false, pinSet: false });
    expect((await api("POST", "/api/security/unlock", { pin: PIN })).json.code).toBe(
      "TRAWL_ERR_SECURITY_NO_PIN",
    );

    const tokenStream = await openStream(bearer(server));
    await app.lock.setPin(PIN);
    await tokenStream.ended; // the access token's stream ends at its next heartbeat once a PIN is set
    const refused = await api("GET", "/api/runs", undefined, bearer(server));
    expect(refused.status).toBe(401);
    expect(refused.json.code).toBe("TRAWL_ERR_HTTP_LOCKED");
    expect((await api("GET", "/api/events", undefined, bearer(server))).status).toBe(401);
    expect((await api("GET", "/api/security/status")).json).toMatchObject({
      locked: true,
      pinSet: true,
      failures: 0,
    });

    const wrong = await api("POST", "/api/security/unlock", { pin: "135790" });
    expect([wrong.status, wrong.json.code]).toEqual([401, "TRAWL_ERR_SECURITY_PIN_WRONG"]);
    expect(cookiesOf(wrong)).toEqual({});

    const { cookie, csrf, response } = await unlock();
    expect(response.status).toBe(200);
    const setCookies = (response.headers["set-cookie"] ?? []).join("\n");
    expect(setCookies).toMatch(/trawl_session=[^;]+;.*HttpOnly/);
    expect(setCookies).toMatch(/trawl_session=[^;]+;.*SameSite=Strict/);
    expect(setCookies).toMatch(/trawl_csrf=[^;]+;.*SameSite=Strict/);
    expect((await api("GET", "/api/runs", undefined, { cookie })).status).toBe(200);
    expect((await api("GET", "/api/security/status", undefined, { cookie })).json).toMatchObject({
      locked: false,
      failures: 0,
    });

    // A change needs the CSRF token as well as the cookie.
    const noCsrf = await api("PUT", "/api/secrets/SHOP", { value: "x" }, { cookie });
    expect([noCsrf.status, noCsrf.json.code]).toEqual([403, "TRAWL_ERR_HTTP_CSRF"]);
    const badCsrf = await api(
      "PUT",
      "/api/secrets/SHOP",
      { value: "x" },
      { cookie, "x-trawl-csrf": "forged" },
    );
    expect(badCsrf.status).toBe(403);
    expect(
      (await api("PUT", "/api/secrets/SHOP", { value: "x" }, { cookie, "x-trawl-csrf": csrf })).status,
    ).toBe(200);

    // The app's link (with the access token) keeps an unlocked session's cookie.
    const linked = await api("GET", `/?token=${server.accessToken}`, undefined, { cookie });
    expect([linked.status, linked.headers["set-cookie"]]).toEqual([303, undefined]);

    const locked = await api("POST", "/api/security/lock", undefined, { cookie });
    expect(locked.json).toEqual({ locked: true, ended: true });
    expect((await api("GET", "/api/runs", undefined, { cookie })).status).toBe(401);
    expect(await actions()).toEqual(
      expect.arrayContaining([
        "pin.set",
        "unlock.failed",
        "unlock.succeeded",
        "lock.manual",
        "secret.created",
      ]),
    );
  });

  it("a session ends after the idle minutes: only user activity and changes count, not the event stream", async () => {
    const { cookie, csrf } = await unlock();
    const stream = await openStream(cookie);
    await until(() => stream.received().includes(": heartbeat"));
    // Reads without the activity header (background refreshes) do not keep it alive.
    clock.advance(10 * MINUTE);
    expect((await api("GET", "/api/runs", undefined, { cookie })).status).toBe(200);
    clock.advance(5 * MINUTE);
    expect((await api("GET", "/api/runs", undefined, { cookie })).status).toBe(200);
    clock.advance(1000 + 1);
    const idle = await api("GET", "/api/runs", undefined, { cookie });
    expect([idle.status, idle.json.code]).toEqual([401, "TRAWL_ERR_HTTP_LOCKED"]);
    // Its heartbeats did not count as activity; the stream ends at the next one after the lock.
    expect(stream.received()).toContain(": heartbeat");
    await stream.ended;

    // A request marked as user input, or a change, starts the idle time over.
    const again = await unlock();
    clock.advance(14 * MINUTE);
    expect(
      (await api("GET", "/api/runs", undefined, { cookie: again.cookie, "x-trawl-activity": "user" })).status,
    ).toBe(200);
    clock.advance(14 * MINUTE);
    const change = { cookie: again.cookie, "x-trawl-csrf": again.csrf };
    expect((await api("DELETE", "/api/secrets/SHOP", undefined, change)).status).toBe(200);
    clock.advance(14 * MINUTE);
    expect((await api("GET", "/api/runs", undefined, { cookie: again.cookie })).status).toBe(200);
    clock.advance(MINUTE + 1);
    expect((await api("GET", "/api/runs", undefined, { cookie: again.cookie })).status).toBe(401);
    expect(await actions()).toContain("lock.idle");
    // A session nobody came back to (a closed tab) is deleted at the next unlock.
    const abandoned = await unlock();
    const row = () =>
      app.store.lock.session(createHash("sha256").update(sessionIdOf(abandoned.cookie)).digest("hex"));
    clock.advance(16 * MINUTE);
    expect(await row()).toBeDefined();
    await unlock();
    expect(await row()).toBeUndefined();
    void csrf;
  });

  it("API tokens pass while locked until revoked; the access token does not", async () => {
    const token = await app.apiTokens.create("ci");
    expect((await api("GET", "/api/runs", undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await app.store.lock.tokens())[0]!.tokenHash).not.toContain(token);
    // /metrics is guarded the same way: the token reads it, the access token alone does not.
    expect((await api("GET", "/metrics", undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await api("GET", "/metrics", undefined, bearer(server))).json.code).toBe("TRAWL_ERR_HTTP_LOCKED");
    const stream = await openStream({ authorization: `Bearer ${token}` });
    await app.apiTokens.revoke("ci");
    // The stream it opened ends at the next heartbeat.
    await stream.ended;
    expect((await api("GET", "/api/runs", undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
    expect(await actions()).toEqual(expect.arrayContaining(["token.created", "token.used", "token.revoked"]));
  });

  it("names in the audit log the API token or the session a change came through", async () => {
    const token = await app.apiTokens.create("robot");
    const byToken = await api(
      "PUT",
      "/api/secrets/AUDIT_PROBE",
      { value: "v1" },
      { authorization: `Bearer ${token}` },
    );
    expect(byToken.status).toBeLessThan(300);
    const { cookie, csrf } = await unlock();
    const bySession = await api(
      "PUT",
      "/api/secrets/AUDIT_PROBE",
      { value: "v2" },
      { cookie, "x-trawl-csrf": csrf },
    );
    expect(bySession.status).toBeLessThan(300);
    const entries = (await app.audit.list({})).filter((entry) => entry.subject === "AUDIT_PROBE");
    expect(entries.map((entry) => [entry.action, entry.actor, entry.actorName])).toEqual([
      ["secret.created", "api", "token robot"],
      ["secret.changed", "api", expect.stringMatching(/^session [0-9a-f]{8}$/)],
    ]);
    await app.apiTokens.revoke("robot");
    await api("POST", "/api/security/lock", undefined, { cookie, "x-trawl-csrf": csrf });
  });

  it("limits attempts: 5 free, then 1 s, 2 s, 4 s … (the delays enforced); a right PIN still unlocks after them and resets the count", async () => {
    for (let i = 0; i < 5; i++)
      expect((await api("POST", "/api/security/unlock", { pin: "000000" })).status).toBe(401);
    const wait = await api("POST", "/api/security/unlock", { pin: PIN });
    expect([wait.status, wait.json.code, wait.headers["retry-after"]]).toEqual([
      429,
      "TRAWL_ERR_SECURITY_UNLOCK_WAIT",
      "1",
    ]);
    clock.advance(999);
    expect((await api("POST", "/api/security/unlock", { pin: PIN })).status).toBe(429);
    clock.advance(1);
    expect((await api("POST", "/api/security/unlock", { pin: "000000" })).status).toBe(401);
    expect((await api("POST", "/api/security/unlock", { pin: PIN })).headers["retry-after"]).toBe("2");
    expect((await api("GET", "/api/security/status")).json).toMatchObject({
      failures: 6,
      retryAfterSeconds: 2,
    });
    clock.advance(2000);
    expect((await unlock()).response.status).toBe(200);
    expect((await api("GET", "/api/security/status")).json).toMatchObject({
      failures: 0,
      retryAfterSeconds: 0,
    });
  });

  it("after 100 wrong PINs in a row unlocking is disabled, the right PIN too, until trawl security unlock-reset", async () => {
    const waits: number[] = [];
    for (let failures = 0; failures < 100; failures++) {
      const status = (await api("GET", "/api/security/status")).json;
      waits.push(status.retryAfterSeconds);
      clock.advance(status.retryAfterSeconds * 1000);
      expect((await api("POST", "/api/security/unlock", { pin: "999999" })).status).toBe(401);
    }
    expect(waits.slice(0, 12)).toEqual([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64]);
    expect(waits.slice(15)).toEqual(Array(85).fill(900)); // capped at 15 minutes
    clock.advance(24 * 60 * MINUTE);
    const disabled = await api("POST", "/api/security/unlock", { pin: PIN });
    expect([disabled.status, disabled.json.code]).toEqual([403, "TRAWL_ERR_SECURITY_UNLOCK_DISABLED"]);
    expect((await api("GET", "/api/security/status")).json).toMatchObject({ disabled: true, failures: 100 });
    expect(await actions()).toContain("unlock.locked-out");

    const reset = await runCli(["security", "unlock-reset"], { home });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain("100 wrong in a row");
    expect((await app.audit.list({ action: "unlock.reset" })).map((entry) => entry.details)).toEqual([
      '{"failures":100}',
    ]);
    expect((await unlock()).response.status).toBe(200);
  });

  it("rehashes a PIN kept under weaker parameters when it unlocks", async () => {
    const weak = await hash(PIN, { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    expect(weak).toMatch(/^\$argon2id\$v=19\$m=8192,t=1,p=1\$/);
    await app.store.lock.rehashPin(weak);
    expect((await unlock()).response.status).toBe(200);
    expect((await app.store.lock.state()).pinHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("PIN on start: a server's start ends every session (off: sessions outlive a restart)", async () => {
    const restart = async () => {
      await server.close();
      server = await startServer({ app, port: 0, uiDir: null, healthSampleMs: 0, scheduler: false });
    };
    const runs = (cookie: string) => api("GET", "/api/runs", undefined, { cookie });
    const before = await unlock();
    await restart();
    expect((await runs(before.cookie)).status).toBe(200);

    const set = await runCli(["security", "pin-on-start", "on"], { home });
    expect([set.code, set.stdout]).toEqual([0, "PIN on start on\n"]);
    expect((await runCli(["security", "status"], { home })).stdout).toContain("PIN on start: on");
    const during = await unlock();
    expect((await runs(during.cookie)).status).toBe(200);
    await restart();
    for (const { cookie } of [before, during])
      expect((await runs(cookie)).json.code).toBe("TRAWL_ERR_HTTP_LOCKED");
    // Every session open then, these two and the earlier tests' left open.
    const started = await app.audit.list({ action: "lock.start" });
    expect(started).toHaveLength(1);
    expect((JSON.parse(started[0]!.details) as { sessions: number }).sessions).toBeGreaterThanOrEqual(2);
    expect((await runCli(["security", "pin-on-start", "maybe"], { home })).code).toBe(2);
    await app.lock.setPinOnStart(false);
  });
});

/** The session id in a `trawl_session=…; trawl_csrf=…` cookie header. */
function sessionIdOf(cookie: string): string {
  return /trawl_session=([^;]+)/.exec(cookie)![1]!;
}

/** An open event stream: what it received so far, and when it ended. */
interface Stream {
  received(): string;
  ended: Promise<void>;
}

/** Opens the event stream with a session cookie; resolves once it answered 200. */
function openStream(headers: string | Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const sent = typeof headers === "string" ? { cookie: headers } : headers;
    const req = http.get(`${server.url}/api/events`, { headers: sent }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream: ${res.statusCode}`));
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      const ended = new Promise<void>((done) => res.on("close", done));
      resolve({ received: () => text, ended });
    });
    req.on("error", () => undefined);
  });
}
