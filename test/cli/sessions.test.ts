/** `trawl sessions` lists the kept browser sessions without their values; `clear` forgets one. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { homePaths } from "../../src/core/paths.ts";
import { sessionFileOf } from "../../src/fetch/index.ts";
import { writeSession } from "../../src/fetch/browser/session-file.ts";
import { runCli } from "./run-cli.ts";

const home = mkdtempSync(join(tmpdir(), "trawl-sessions-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("trawl sessions", () => {
  it("lists sessions without cookie values, clears one, and refuses names that are paths", async () => {
    const cookie = { name: "sid", value: "secret-cookie-value", domain: "127.0.0.1", path: "/", expires: -1 };
    await writeSession(sessionFileOf(homePaths(home).sessions, "members"), {
      cookies: [{ ...cookie, httpOnly: true, secure: false, sameSite: "Lax" }],
      origins: [],
    });
    const listed = await runCli(["sessions", "--json"], { home });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      sessions: [{ scraper: "members", cookies: 1, domains: ["127.0.0.1"], origins: 0 }],
    });
    expect(listed.stdout).not.toContain("secret-cookie-value");

    expect((await runCli(["sessions", "clear", "members"], { home })).code).toBe(0);
    const again = await runCli(["sessions", "clear", "members"], { home });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("no saved session of scraper members");
    const path = await runCli(["sessions", "clear", "../trawl"], { home });
    expect(path.code).toBe(2);
    expect(path.stderr).toContain("not a scraper name");
  });
});
