import { describe, expect, it } from "vitest";
import { SeenUrls } from "./seen-urls.ts";

describe("SeenUrls", () => {
  it("holds what was added, nothing else", () => {
    const seen = new SeenUrls();
    seen.add("http://a.test/1");
    expect(seen.has("http://a.test/1")).toBe(true);
    expect(seen.has("http://a.test/2")).toBe(false);
  });

  it("keeps at most its capacity, forgetting the oldest generation first", () => {
    const seen = new SeenUrls(4);
    for (let i = 1; i <= 10; i++) seen.add(`u${i}`);
    expect(seen.size).toBeLessThanOrEqual(4);
    expect(seen.has("u10")).toBe(true);
    expect(seen.has("u1")).toBe(false);
  });

  it("keeps a URL found in the older generation when that one is dropped", () => {
    const seen = new SeenUrls(4);
    seen.add("u1");
    seen.add("u2");
    seen.add("u3"); // u1, u2 are now the older generation
    expect(seen.has("u1")).toBe(true); // moves u1 to the newer one
    seen.add("u4"); // the newer generation (u3, u1) becomes the older one: u2 is forgotten
    expect(seen.has("u1")).toBe(true);
    expect(seen.has("u2")).toBe(false);
  });

  it("tells thousands of similar URLs apart exactly", () => {
    const seen = new SeenUrls(20_000);
    const url = (i: number) => `http://127.0.0.1:8080/p/${String(i).padStart(6, "0")}?ref=${i % 7}`;
    for (let i = 0; i < 5000; i++) seen.add(url(i));
    expect(seen.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(seen.has(url(i))).toBe(true);
    for (let i = 5000; i < 10_000; i++) expect(seen.has(url(i))).toBe(false);
    expect(seen.has(`${url(1)}0`)).toBe(false);
    expect(seen.has(url(1).slice(0, -1))).toBe(false);
    expect(seen.has("")).toBe(false);
  });

  it("keeps no URL with a character beyond ASCII (serialised URLs have none)", () => {
    const seen = new SeenUrls();
    seen.add("http://a.test/é");
    expect(seen.has("http://a.test/é")).toBe(false);
    expect(seen.size).toBe(0);
  });
});
