/** Browser sessions through the real server: listed without values, cleared, guarded. */
import { describe, expect, it } from "vitest";
import { sessionFileOf } from "../../src/fetch/index.ts";
import { writeSession } from "../../src/fetch/browser/session-file.ts";
import { serve } from "./helpers.ts";

describe("/api/sessions", () => {
  it("lists kept sessions without cookie values and clears one, refusing other origins", async () => {
    const f = await serve();
    const cookie = {
      name: "sid",
      value: "secret-cookie-value",
      domain: "shop.example",
      path: "/",
      expires: -1,
    };
    await writeSession(sessionFileOf(f.app.paths.sessions, "members"), {
      cookies: [{ ...cookie, httpOnly: true, secure: true, sameSite: "Lax" }],
      origins: [],
    });

    const listed = await f.api("GET", "/api/sessions");
    expect(listed.status).toBe(200);
    expect(listed.json.sessions).toEqual([
      { scraper: "members", cookies: 1, domains: ["shop.example"], origins: 0, savedAt: expect.any(String) },
    ]);
    expect(Date.parse(listed.json.sessions[0].savedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(listed.json)).not.toContain("secret-cookie-value");

    const foreign = await f.api("DELETE", "/api/sessions/members", undefined, {
      origin: "http://evil.example",
    });
    expect(foreign.status).toBe(403);

    expect((await f.api("DELETE", "/api/sessions/members")).json).toEqual({
      scraper: "members",
      cleared: true,
    });
    expect((await f.api("GET", "/api/sessions")).json.sessions).toEqual([]);
    const again = await f.api("DELETE", "/api/sessions/members");
    expect(again.status).toBe(404);
    expect(again.json.code).toBe("TRAWL_ERR_FETCH_SESSION_NOT_FOUND");
    const path = await f.api("DELETE", `/api/sessions/${encodeURIComponent("../trawl")}`);
    expect(path.status).toBe(400);
    expect(path.json.code).toBe("TRAWL_ERR_FETCH_BAD_SCRAPER_NAME");
  });
});
