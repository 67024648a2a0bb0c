import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { FetchError } from "./errors.ts";
import { gunzipFile } from "./gzip-file.ts";

describe("gunzipFile", () => {
  it("unzips a gzip file and leaves any other body as it is", () => {
    const xml = Buffer.from("<urlset><url><loc>https://a.example/</loc></url></urlset>");
    expect(gunzipFile(gzipSync(xml), 1024, "https://a.example/s.xml.gz").toString()).toBe(xml.toString());
    expect(gunzipFile(xml, 1024, "https://a.example/s.xml")).toBe(xml);
  });

  it("stops past max_body unzipped, with reason too_large", () => {
    const bomb = gzipSync(Buffer.alloc(100_000, 0x20));
    expect(bomb.length).toBeLessThan(1000);
    let error: unknown;
    try {
      gunzipFile(bomb, 10_000, "https://a.example/bomb.xml.gz");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).reason).toBe("too_large");
  });
});
