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
});
