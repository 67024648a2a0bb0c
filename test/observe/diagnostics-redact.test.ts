/** The diagnostics bundle's redactor: each rule, what it leaves alone, and a report without values. */
import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/observe/index.ts";

const SECRET = "hunter2/ü!";
const TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd";

function redactor() {
  return new Redactor([
    { kind: "secret-value", values: [SECRET, "ab"] },
    { kind: "access-token", values: [TOKEN] },
  ]);
}

describe("Redactor", () => {
  it.each([
    [`typed ${SECRET} into the form`, "typed [redacted] into the form"],
    [`GET /search?q=${encodeURIComponent(SECRET)}`, "GET /search?q=[redacted]"],
    [`form q=${new URLSearchParams({ v: SECRET }).toString().slice(2)}`, "form q=[redacted]"],
    [`{"note":${JSON.stringify(`said "${SECRET}"`)}}`, '{"note":"said \\"[redacted]\\""}'],
    [`link /?token=${TOKEN}`, "link /?token=[redacted]"],
    ["Authorization: Bearer abc.def.ghi", "Authorization: [redacted]"],
    ['{"cookie": "sid=1; theme=dark", "accept": "*/*"}', '{"cookie": "[redacted]", "accept": "*/*"}'],
    ["Set-Cookie: id=42; Path=/\nnext line", "Set-Cookie: [redacted]\nnext line"],
    ["refused bearer 0123456789abcdef", "refused bearer [redacted]"],
    ["proxy http://bob:p%40ss@proxy:8080/ down", "proxy http://bob:[redacted]@proxy:8080/ down"],
    [
      "https://x.example/a?page=2&api_key=K3Y&lang=en#access_token=T",
      "https://x.example/a?page=2&api_key=[redacted]&lang=en#access_token=[redacted]",
    ],
    [
      "https://s3.example/o?X-Amz-Signature=abc&sig=d&code=e",
      "https://s3.example/o?X-Amz-Signature=[redacted]&sig=[redacted]&code=[redacted]",
    ],
    [`uses trawl_${"x".repeat(43)} now`, "uses [redacted] now"],
  ])("removes %j", (input, expected) => {
    expect(redactor().text(input)).toBe(expected);
  });

  it.each([
    "no cookies here: 3 cookies kept",
    "basic auth is off; a bearer of news",
    "https://shop.example/list?page=2&sort=price",
    "http://user@host:8080/ has no password",
    "ab is too short to look for",
  ])("leaves %j as it is", (input) => {
    expect(redactor().text(input)).toBe(input);
  });

  it("replaces fields named like secrets whole, and redacts every other string", () => {
    const r = redactor();
    const out = r.json({
      masterKey: "base64==",
      headers: { Authorization: "Bearer x", "X-Api-Key": "k", accept: "*/*" },
      proxy: { password: "p", url: "socks5://u:pw@h:1" },
      recordKey: ["id"],
      debug: false,
      note: `value ${SECRET}`,
    });
    expect(out).toEqual({
      masterKey: "[redacted]",
      headers: { Authorization: "[redacted]", "X-Api-Key": "[redacted]", accept: "*/*" },
      proxy: { password: "[redacted]", url: "socks5://u:[redacted]@h:1" },
      recordKey: ["id"],
      debug: false,
      note: "value [redacted]",
    });
  });

  it("reads a JSON log line as JSON, and another line as text", () => {
    const r = redactor();
    const line = JSON.stringify({
      level: 40,
      msg: 'said "Cookie: a=b"',
      req: { headers: { cookie: "a=b" } },
    });
    expect(JSON.parse(r.line(line))).toEqual({
      level: 40,
      msg: 'said "Cookie: [redacted]',
      req: { headers: { cookie: "[redacted]" } },
    });
    expect(r.line("{not json Cookie: a=b")).toBe("{not json Cookie: [redacted]");
  });

  it("reports counts per kind and what it knew, never a value", () => {
    const r = redactor();
    r.text(`${SECRET} ${SECRET} Cookie: x=${TOKEN}`);
    r.note("the vault could not be opened");
    const report = r.report();
    expect(report.removed.map(({ kind, count }) => [kind, count])).toEqual([
      ["secret-value", 2],
      ["access-token", 1],
      ["credential-header", 1],
    ]);
    expect(report).toMatchObject({ total: 4, known: { "secret-value": 1, "access-token": 1 }, tooShort: 1 });
    expect(report.notes).toEqual(["the vault could not be opened"]);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(JSON.stringify(report)).not.toContain(TOKEN);
  });
});
