import { describe, expect, it } from "vitest";
import { pageNumberOf, templateLinks, templateUrl } from "./page-template.ts";

describe("URL templates", () => {
  it("resolve page n against the page's URL", () => {
    expect(templateUrl("items?page={page}", 2, "http://api.test/v1/items?page=1")).toBe(
      "http://api.test/v1/items?page=2",
    );
    expect(templateUrl("/p/{page}/list", 3, "http://api.test/x")).toBe("http://api.test/p/3/list");
  });

  it("read the page number of a URL, 0 for a URL that is not one of the template's pages", () => {
    const url = "http://api.test/v1/items?page=12";
    expect(pageNumberOf("items?page={page}", url)).toBe(12);
    expect(pageNumberOf("/v1/items?page={page}", url)).toBe(12);
    expect(pageNumberOf("items?page={page}", "http://api.test/v1/items")).toBe(0);
    expect(pageNumberOf("items?page={page}&size=10", url)).toBe(0);
    expect(pageNumberOf("items?page={page}", "http://api.test/v1/items?page=x")).toBe(0);
  });

  it("follow the next page only from a page that yielded records, counting from 1", () => {
    const rules = [
      { css: "a", page: "html" },
      { template: "items?page={page}", page: "api" },
    ];
    const found = [0, 0];
    expect(templateLinks(rules, "http://api.test/items?page=3", 10, found)).toEqual([
      { url: "http://api.test/items?page=4", page: "api" },
    ]);
    expect(templateLinks(rules, "http://api.test/items", 1, found)).toEqual([
      { url: "http://api.test/items?page=1", page: "api" },
    ]);
    expect(templateLinks(rules, "http://api.test/items?page=4", 0, found)).toEqual([]);
    expect(found).toEqual([0, 2]);
  });
});
