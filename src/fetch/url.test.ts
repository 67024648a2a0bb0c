import { describe, expect, it } from "vitest";
import { hostOf, normalizeUrl } from "./url.ts";

describe("normalizeUrl", () => {
  it.each([
    ["HTTP://Example.COM:80/a/B?x=1#frag", "http://example.com/a/B?x=1"],
    ["https://example.com:443", "https://example.com/"],
    ["https://example.com:8443/p/", "https://example.com:8443/p/"],
    ["http://example.com/?b=2&a=1&b=1", "http://example.com/?a=1&b=2&b=1"],
    ["http://example.com/?q=a%20b&flag", "http://example.com/?flag&q=a%20b"],
    ["http://example.com/?", "http://example.com/"],
    ["  http://example.com/x  ", "http://example.com/x"],
    ["http://example.com/x#", "http://example.com/x"],
    ["http://example.com/x?#", "http://example.com/x"],
    ["http://example.com/x?a=1", "http://example.com/x?a=1"],
  ])("%s → %s", (raw, expected) => {
    expect(normalizeUrl(raw)).toBe(expected);
  });

  it("resolves relative URLs against a base", () => {
    expect(normalizeUrl("../c?z=1&y=2", "http://example.com/a/b/")).toBe("http://example.com/a/c?y=2&z=1");
  });

  it.each(["mailto:a@b.c", "javascript:alert(1)", "ftp://example.com/", "/relative", "http://", ""])(
    "rejects %j",
    (raw) => {
      expect(normalizeUrl(raw)).toBeNull();
    },
  );
});

describe("hostOf", () => {
  it("keeps non-default ports and lower-cases", () => {
    expect(hostOf("http://Example.com:8080/x")).toBe("example.com:8080");
    expect(hostOf("https://example.com:443/x")).toBe("example.com");
    expect(hostOf("nope")).toBe("");
  });

  it.each([
    "http://Example.com:8080/x",
    "HTTP://example.com/x",
    "http://user:pw@Example.com:80/x",
    "http://a.com?x",
    "http://a.com#x",
    "http://a.com\\x",
    "http://a.com ",
    "http://a.\tcom/",
    "http://0x7f.1/",
    "https://[::1]:443/",
    "http://bad host/",
    "http:a.com/x",
  ])("agrees with URL for %j, also when asked again", (url) => {
    let expected = "";
    try {
      expected = new URL(url).host;
    } catch {
      // unparsable: ""
    }
    expect(hostOf(url)).toBe(expected);
    expect(hostOf(url)).toBe(expected);
  });
});

describe("normalizeUrl is idempotent (the crawl skips normalising links spelled as a stored URL)", () => {
  it.each([
    "HTTP://Example.COM:80/a/B?x=1#frag",
    "http://example.com/?b=2&a=1&b=1",
    "http://example.com/a/./b/../c?q=a b&Z=%41",
    "https://bücher.example/ä?ö=ü",
    "http://example.com/%7Euser/?",
    "http://user:pw@example.com:8080/x?#",
    "http://example.com\\a\\b?c",
    "http://[::1]:80/x?b&a",
  ])("%s", (raw) => {
    const once = normalizeUrl(raw);
    expect(once).not.toBeNull();
    expect(normalizeUrl(once!)).toBe(once);
  });
});
