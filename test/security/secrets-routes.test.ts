/**
 * The secrets vault through the real server: values go in (PUT) and never come out, not in a
 * response, an error or any file of the data directory; names and dates are listed; cross-site
 * writes are refused.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serve } from "../server/helpers.ts";
import { filesUnder } from "../fixtures/files-under.ts";

const VALUE = "api-canary-3fT8qLw0Zr";

describe("/api/secrets", () => {
  it("sets, lists (never a value), deletes, and refuses bad names, bodies and other origins", async () => {
    const f = await serve();
    const responses: unknown[] = [];
    const api = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      const response = await f.api(method, path, body, headers);
      responses.push(response.json);
      return response;
    };

    const created = await api("PUT", "/api/secrets/SHOP_TOKEN", { value: VALUE });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({ name: "SHOP_TOKEN", created: true });
    expect((await api("PUT", "/api/secrets/SHOP_TOKEN", { value: `${VALUE}-2` })).json).toEqual({
      name: "SHOP_TOKEN",
      created: false,
    });
    const listed = await api("GET", "/api/secrets");
    expect(listed.json).toEqual({
      secrets: [{ name: "SHOP_TOKEN", createdAt: expect.any(String), updatedAt: expect.any(String) }],
    });
    // What a run reads is the value set last.
    expect((await f.app.secrets.forRun(["SHOP_TOKEN"])).get("SHOP_TOKEN")).toBe(`${VALUE}-2`);

    const badName = await api("PUT", "/api/secrets/..%2Fkeys", { value: VALUE });
    expect([badName.status, badName.json.code]).toEqual([400, "TRAWL_ERR_SECURITY_SECRET_NAME"]);
    for (const body of [{ value: "" }, { secret: VALUE }]) {
      const bad = await api("PUT", "/api/secrets/OTHER", body);
      expect([bad.status, bad.json.code]).toEqual([400, "TRAWL_ERR_HTTP_VALIDATION"]);
    }
    const foreign = await api(
      "PUT",
      "/api/secrets/OTHER",
      { value: VALUE },
      { origin: "http://evil.example" },
    );
    expect(foreign.status).toBe(403);

    expect((await api("DELETE", "/api/secrets/SHOP_TOKEN")).json).toEqual({
      name: "SHOP_TOKEN",
      deleted: true,
    });
    const gone = await api("DELETE", "/api/secrets/SHOP_TOKEN");
    expect([gone.status, gone.json.code]).toEqual([404, "TRAWL_ERR_SECURITY_SECRET_NOT_FOUND"]);
    expect((await api("GET", "/api/secrets")).json).toEqual({ secrets: [] });

    // No response, and no file of the data directory (database, WAL, logs), holds the value.
    expect(JSON.stringify(responses)).not.toContain(VALUE);
    const files = filesUnder(f.app.paths.home);
    expect(files.map((file) => file.slice(f.app.paths.home.length + 1))).toContain("trawl.db");
    for (const file of files) expect(readFileSync(file).includes(Buffer.from(VALUE)), file).toBe(false);
  });
});
