import { afterEach, describe, expect, it } from "vitest";
import { extractPage } from "./compile-page.ts";
import type { DeclarativePage, Extraction, PageInput } from "./types.ts";
import { ParsePool } from "./parse-pool.ts";

const pages: Record<string, DeclarativePage> = {
  product: {
    record: { title: "h1", price: { css: ".price", type: "number" }, url: { from: "url" } },
    follow: [{ css: "a.next", page: "product" }],
  },
  api: {
    format: "json",
    records: { each: { json: "$.items[*]" }, fields: { id: { json: "$.id" } } },
    follow: [{ json: "$.next", page: "api" }],
  },
  catalogue: {
    record: { title: { xpath: "normalize-space(//h1)" }, tags: { xpath: "//li/text()", all: true } },
    follow: [{ xpath: "//a[@rel='next']/@href", page: "catalogue" }],
  },
};

function page(n: number): PageInput {
  return {
    url: `http://127.0.0.1:1/p/${n}`,
    finalUrl: `http://127.0.0.1:1/p/${n}`,
    status: 200,
    headers: {},
    body: `<h1>Book ${n}</h1><p class="price">£${n}.50</p><p class="price">x</p><a class="next" href="/p/${n + 1}">next</a>`,
    depth: 0,
    target: "t",
    pageType: "product",
  };
}

const pools: ParsePool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

/** Offers page 0 until a thread takes it (threads start in the background). */
async function readyPool(threads: number): Promise<ParsePool> {
  const pool = new ParsePool(pages, threads);
  pools.push(pool);
  for (let i = 0; i < 400; i++) {
    const pending = pool.extract("product", page(0));
    if (pending) {
      await pending;
      return pool;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("no parse thread became ready in 10 s");
}

describe("ParsePool", () => {
  it("extracts on its threads exactly what the crawl's thread would", async () => {
    const pool = await readyPool(2);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) => pool.extract("product", page(n)) as Promise<Extraction>),
    );
    expect(results).toEqual(Array.from({ length: 50 }, (_, n) => extractPage(pages.product!, page(n))));
    expect(results[3]).toMatchObject({
      records: [{ title: "Book 3", price: 3.5, url: "http://127.0.0.1:1/p/3" }],
      links: [{ url: "http://127.0.0.1:1/p/4", page: "product" }],
    });
  });

  it("reads JSON and XPath page types on its threads, and keeps a body's reason code across threads", async () => {
    const pool = await readyPool(1);
    const json = { ...page(1), pageType: "api", body: '{"items":[{"id":1},{"id":2}],"next":"?page=2"}' };
    const html = {
      ...page(1),
      pageType: "catalogue",
      body: '<h1> A  b </h1><ul><li>x</li><li>y</li></ul><a rel="next" href="/p/2">n</a>',
    };
    expect(await pool.extract("api", json)).toEqual(extractPage(pages.api!, json));
    expect(await pool.extract("api", json)).toMatchObject({
      records: [{ id: 1 }, { id: 2 }],
      links: [{ url: "http://127.0.0.1:1/p/1?page=2", page: "api" }],
      matches: [2, 2, 1],
    });
    expect(await pool.extract("catalogue", html)).toEqual(extractPage(pages.catalogue!, html));
    expect(await pool.extract("catalogue", html)).toMatchObject({
      records: [{ title: "A b", tags: ["x", "y"] }],
    });
    await expect(pool.extract("api", { ...json, body: "<html>down</html>" })).rejects.toMatchObject({
      name: "NotJsonError",
      reason: "not_json",
    });
  });

  it("declines page types it does not know and pages offered before a thread is ready", async () => {
    const fresh = new ParsePool(pages, 1);
    pools.push(fresh);
    expect(fresh.extract("product", page(1))).toBeUndefined();
    const pool = await readyPool(1);
    expect(pool.extract("listing", page(1))).toBeUndefined();
  });

  it("hands pages of a thread that ends back to the calling thread", async () => {
    const pool = await readyPool(1);
    const pending = Array.from({ length: 20 }, (_, n) => pool.extract("product", page(n))!);
    await pool.close();
    expect(await Promise.all(pending)).toEqual(
      Array.from({ length: 20 }, (_, n) => extractPage(pages.product!, page(n))),
    );
    expect(pool.extract("product", page(1))).toBeUndefined();
  });
});
