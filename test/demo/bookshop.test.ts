import { describe, expect, it } from "vitest";
import { BOOKSHOP_FAULTS } from "../../src/demo/index.ts";
import { get, startSite } from "./helpers.ts";

describe("bookshop list pages", () => {
  it("lists 10 books per page with a next link on every page but the last", async () => {
    const site = await startSite({ booksPerCategory: 25, faults: false });
    const first = await get(site, "/fiction/page/1");
    expect(first.status).toBe(200);
    expect(first.$("article a.title")).toHaveLength(10);
    expect(first.$("a.next").attr("href")).toBe("/fiction/page/2");
    expect(first.$("article a.title").first().attr("href")).toBe("/book/FIC-00001");

    const last = await get(site, "/fiction/page/3");
    expect(last.$("article a.title")).toHaveLength(5);
    expect(last.$("a.next")).toHaveLength(0);
    expect(last.$("article a.title").last().attr("href")).toBe("/book/FIC-00025");

    expect((await get(site, "/fiction/page/4")).status).toBe(404);
    expect((await get(site, "/fiction/page/0")).status).toBe(404);
    expect((await get(site, "/cookery/page/1")).status).toBe(404);
  });

  it("serves every category and redirects a bare category to its first page", async () => {
    const site = await startSite({ booksPerCategory: 12, faults: false });
    for (const [category, prefix] of [
      ["fiction", "FIC"],
      ["poetry", "POE"],
      ["history", "HIS"],
      ["science", "SCI"],
    ]) {
      const page = await get(site, `/${category}/page/2`);
      expect(
        page
          .$("article a.title")
          .map((_, a) => page.$(a).attr("href"))
          .get(),
      ).toEqual([`/book/${prefix}-00011`, `/book/${prefix}-00012`]);
    }
    const bare = await get(site, "/history");
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/history/page/1");
  });

  it("scales to thousands of books per category without precomputing them", async () => {
    const site = await startSite({ booksPerCategory: 5000, faults: false });
    const last = await get(site, "/science/page/500");
    expect(last.$("article a.title")).toHaveLength(10);
    expect(last.$("a.next")).toHaveLength(0);
    expect((await get(site, "/science/page/501")).status).toBe(404);
    expect((await get(site, "/book/SCI-05000")).status).toBe(200);
    expect((await get(site, "/book/SCI-05001")).status).toBe(404);
  });
});

describe("bookshop product pages", () => {
  it("show title, price, sku, author, rating, description and stock", async () => {
    const site = await startSite({ faults: false });
    const { status, $, headers } = await get(site, "/book/POE-00042");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect($("h1")).toHaveLength(1);
    expect($("h1").text().length).toBeGreaterThan(3);
    expect($("title").text()).toBe($("h1").text());
    expect($(".price").text()).toMatch(/^£\d{1,2}\.\d{2}$/);
    expect($("[data-sku]").attr("data-sku")).toBe("POE-00042");
    expect($(".author .name").text()).toMatch(/^\S+ \S+$/);
    expect(Number($(".rating").attr("data-rating"))).toBeGreaterThanOrEqual(1);
    expect(Number($(".rating").attr("data-rating"))).toBeLessThanOrEqual(5);
    expect($(".description").text().length).toBeGreaterThan(20);
    expect(["true", "false"]).toContain($(".availability").attr("data-in-stock"));
  });

  it("answer 404 for unknown or out-of-range skus", async () => {
    const site = await startSite({ booksPerCategory: 20 });
    for (const path of [
      "/book/FIC-00021",
      "/book/FIC-00000",
      "/book/XYZ-00001",
      "/book/fic-00001",
      "/book/FIC-1",
    ]) {
      expect((await get(site, path)).status, path).toBe(404);
    }
  });

  it("are the same for the same seed and differ for another seed", async () => {
    const a = await startSite({ seed: 7 });
    const b = await startSite({ seed: 7 });
    const c = await startSite({ seed: 8 });
    const paths = ["/fiction/page/3", "/book/HIS-00017", "/book/SCI-00060"];
    for (const path of paths) expect((await get(a, path)).text).toBe((await get(b, path)).text);
    const differing = await Promise.all(
      paths.map(async (p) => (await get(a, p)).text !== (await get(c, p)).text),
    );
    expect(differing).toContain(true);
  });
});

describe("bookshop imperfections", () => {
  it("leave the price off a few products only when faults are on", async () => {
    const faulty = await startSite();
    const clean = await startSite({ faults: false });
    for (const sku of BOOKSHOP_FAULTS.missingPrice) {
      const page = await get(faulty, `/book/${sku}`);
      expect(page.$("h1").text()).not.toBe("");
      expect(page.$(".price"), sku).toHaveLength(0);
      expect((await get(clean, `/book/${sku}`)).$(".price"), sku).toHaveLength(1);
    }
  });

  it("cross-list one fiction book on poetry page 1 under a second URL", async () => {
    const faulty = await startSite();
    const poetry = await get(faulty, "/poetry/page/1");
    const hrefs = poetry
      .$("article a.title")
      .map((_, a) => poetry.$(a).attr("href"))
      .get();
    expect(hrefs).toHaveLength(11);
    expect(hrefs).toContain(BOOKSHOP_FAULTS.crossListed.href);
    const viaPoetry = await get(faulty, BOOKSHOP_FAULTS.crossListed.href);
    const viaFiction = await get(faulty, `/book/${BOOKSHOP_FAULTS.crossListed.sku}`);
    expect(viaPoetry.text).toBe(viaFiction.text);

    const clean = await startSite({ faults: false });
    expect((await get(clean, "/poetry/page/1")).$("article a.title")).toHaveLength(10);
  });

  it("serve malformed pages whose data a forgiving parser still finds", async () => {
    const site = await startSite();
    for (const sku of BOOKSHOP_FAULTS.malformedProducts) {
      const page = await get(site, `/book/${sku}`);
      expect(page.text).not.toContain("</html>");
      expect(page.$("h1").text().length, sku).toBeGreaterThan(3);
      expect(page.$(".price").text().trim(), sku).toMatch(/^£\d{1,2}\.\d{2}$/);
      expect(page.$("[data-sku]").attr("data-sku")).toBe(sku);
    }
    const list = await get(site, "/science/page/2");
    expect(list.text).not.toContain("</article>");
    expect(list.$("article a.title")).toHaveLength(10);
  });
});
