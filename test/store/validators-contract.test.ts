/** The validator store's contract (issue 17), on SQLite and on PostgreSQL. */
import { expect, it } from "vitest";
import type { PageValidators } from "../../src/store/validator-types.ts";
import { describeStores } from "./backends.ts";

const validators: PageValidators = {
  scraper: "shop",
  url: "https://shop.test/a",
  etag: '"v1"',
  lastModified: null,
  finalUrl: "https://shop.test/a/",
  headers: { "content-type": "text/html", etag: '"v1"' },
  bodySha256: "a".repeat(64),
  storedAt: 1000,
};

describeStores("validator store", (open) => {
  it("keeps one set of validators per scraper and URL, the latest", async () => {
    const store = await open();
    expect(await store.validators.get("shop", validators.url)).toBeUndefined();
    await store.validators.put(validators);
    expect(await store.validators.get("shop", validators.url)).toEqual(validators);
    // The headers' JSON keeps its order.
    expect(Object.keys((await store.validators.get("shop", validators.url))!.headers)).toEqual([
      "content-type",
      "etag",
    ]);
    const changed = {
      ...validators,
      etag: null,
      lastModified: "Tue, 01 Dec 2026 10:00:00 GMT",
      storedAt: 2000,
    };
    await store.validators.put(changed);
    await store.validators.put({ ...validators, scraper: "other" });
    expect(await store.validators.get("shop", validators.url)).toEqual(changed);
    expect(await store.validators.get("other", validators.url)).toEqual({ ...validators, scraper: "other" });
    expect(await store.validators.get("shop", "https://shop.test/b")).toBeUndefined();
  });

  it("keeps one extraction per scraper and URL, under its key", async () => {
    const store = await open();
    expect(await store.validators.extraction("shop", validators.url, "k1")).toBeUndefined();
    await store.validators.keepExtraction("shop", validators.url, "k1", '{"b":1,"a":2}');
    expect(await store.validators.extraction("shop", validators.url, "k1")).toBe('{"b":1,"a":2}');
    await store.validators.keepExtraction("shop", validators.url, "k1", "[1]");
    expect(await store.validators.extraction("shop", validators.url, "k1")).toBe("[1]");
    // A new key (the definition changed) replaces what the old one kept.
    await store.validators.keepExtraction("shop", validators.url, "k2", "[2]");
    expect(await store.validators.extraction("shop", validators.url, "k1")).toBeUndefined();
    expect(await store.validators.extraction("shop", validators.url, "k2")).toBe("[2]");
    expect(await store.validators.extraction("other", validators.url, "k2")).toBeUndefined();
  });
});
