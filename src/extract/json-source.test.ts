import { describe, expect, it } from "vitest";
import { NotJsonError } from "./errors.ts";
import { newWarnings } from "./fields.ts";
import type { PageFacts } from "./field-spec.ts";
import {
  extractJsonLinks,
  extractJsonRecord,
  jsonPathProblem,
  parseJsonBody,
  selectJson,
} from "./json-source.ts";

const facts: PageFacts = {
  url: "http://api.test/v1/items?page=1",
  finalUrl: "http://api.test/v1/items?page=1",
  status: 200,
  target: "t",
  pageType: "api",
  baseUrl: "http://api.test/v1/items?page=1",
};

const body = {
  total: 2,
  items: [
    { id: 7, title: "  Bell ", price: "£12.50", tags: ["brass"], stock: { n: 3 }, sale: false, note: null },
    { id: 8, title: "Oar", price: 4, tags: [], sale: true },
  ],
  next: "items?page=2",
  prev: null,
  mirrors: ["https://cdn.test/a", "ftp://x.test/b", 5],
};

describe("JSON fields", () => {
  it("keep JSON values native, and convert only when type or regex asks", () => {
    const warnings = newWarnings();
    const [first, second] = selectJson(body, "$.items[*]");
    const fields = {
      id: { json: "$.id" },
      title: { json: "$.title" },
      price: { json: "$.price", type: "number" as const },
      tags: { json: "$.tags[*]", all: true },
      tag_list: { json: "$.tags" },
      stock: { json: "$.stock.n", type: "string" as const },
      sale: { json: "$.sale" },
      note: { json: "$.note", default: "none" },
      page: { from: "page_type" as const },
    };
    expect(extractJsonRecord(first, fields, facts, warnings)).toEqual({
      id: 7,
      title: "Bell",
      price: 12.5,
      tags: ["brass"],
      tag_list: ["brass"],
      stock: "3",
      sale: false,
      note: "none",
      page: "api",
    });
    expect(extractJsonRecord(second, fields, facts, warnings)).toEqual({
      id: 8,
      title: "Oar",
      price: 4,
      tags: [],
      tag_list: [],
      stock: null,
      sale: true,
      note: "none",
      page: "api",
    });
    expect(warnings.count).toBe(0);
  });

  it("read the whole body with $ and count hits per field", () => {
    const hits = { counts: [0, 0], slots: [0, 1] };
    const record = extractJsonRecord(
      body,
      { total: { json: "$.total" }, missing: { json: "$.nope" } },
      facts,
      newWarnings(),
      hits,
    );
    expect(record).toEqual({ total: 2, missing: null });
    expect(hits.counts).toEqual([1, 0]);
  });
});

describe("JSON follow rules", () => {
  it("follow strings resolved against the page URL, skipping null, numbers and other schemes", () => {
    const found = [0, 0, 0];
    const links = extractJsonLinks(
      body,
      [
        { json: "$.next", page: "api" },
        { json: "$.prev", page: "api" },
        { json: "$.mirrors[*]", page: "mirror", pattern: "cdn" },
      ],
      facts.baseUrl,
      found,
    );
    expect(links).toEqual([
      { url: "http://api.test/v1/items?page=2", page: "api" },
      { url: "https://cdn.test/a", page: "mirror" },
    ]);
    expect(found).toEqual([1, 0, 1]);
  });
});

describe("JSON bodies and paths", () => {
  it("a body that is not JSON is a NotJsonError with reason not_json", () => {
    expect(parseJsonBody('{"a": [1]}', facts.url)).toEqual({ a: [1] });
    let error: unknown;
    try {
      parseJsonBody("<html>oops</html>", facts.url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotJsonError);
    expect(error).toMatchObject({ reason: "not_json", code: "TRAWL_ERR_EXTRACT_NOT_JSON" });
    expect((error as Error).message).toMatch(
      /^the body of http:\/\/api\.test\/v1\/items\?page=1 is not JSON: /,
    );
  });

  it("jsonPathProblem accepts RFC 9535 and explains the rest", () => {
    expect(jsonPathProblem("$.items[?@.price < 10].title")).toBeNull();
    expect(jsonPathProblem("$.items[")).toMatch(
      /^invalid JSONPath \(Expected .*\); expected RFC 9535 JSONPath/,
    );
    expect(jsonPathProblem("items")).toMatch(/^invalid JSONPath \(Expected "\$"/);
    expect(jsonPathProblem("$.items[?length(@.tags) > 1 && first(@.tags)]")).toBe(
      'unknown JSONPath function "first()"; RFC 9535 has length(), count(), match(), search(), value()',
    );
  });
});
