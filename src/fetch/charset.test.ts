import { describe, expect, it } from "vitest";
import { canonicalEncoding, charsetOfContentType, decodeBody, sniffMetaCharset } from "./charset.ts";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

describe("decodeBody", () => {
  it("prefers BOM over header over meta over the utf-8 default", () => {
    const meta = bytes('<meta charset="shift_jis">', [0x82, 0xa0]);
    expect(decodeBody(meta).encoding).toBe("shift_jis");
    expect(decodeBody(meta).text).toContain("あ");
    expect(decodeBody(meta, "text/html; charset=windows-1252").source).toBe("header");
    expect(decodeBody(bytes([0xef, 0xbb, 0xbf], "x"), "text/html; charset=shift_jis")).toMatchObject({
      source: "bom",
      encoding: "utf-8",
      text: "x",
    });
    expect(decodeBody(bytes("plain"))).toMatchObject({ source: "default", encoding: "utf-8" });
  });

  it("decodes UTF-16 with a BOM", () => {
    expect(decodeBody(bytes([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00])).text).toBe("hi");
  });

  it("maps the windows-1252 C1 range (Node 20 decodes it as latin1)", () => {
    expect(decodeBody(bytes([0x80, 0x93, 0x94, 0x99]), "text/html; charset=iso-8859-1").text).toBe("€“”™");
  });

  it("skips an unknown label and falls back", () => {
    expect(decodeBody(bytes("é"), "text/html; charset=x-klingon")).toMatchObject({
      source: "default",
      encoding: "utf-8",
    });
  });

  it("treats a <meta> claiming UTF-16 as UTF-8", () => {
    expect(decodeBody(bytes('<meta charset="utf-16">')).encoding).toBe("utf-8");
  });

  it("counts invalid bytes, not genuine U+FFFD", () => {
    const result = decodeBody(bytes("a", [0xff], "b", [0xef, 0xbf, 0xbd], [0xfe]));
    expect(result.invalidBytes).toBe(2);
    expect(decodeBody(bytes([0x81]), "text/html; charset=shift_jis").invalidBytes).toBe(1);
  });
});

describe("charset helpers", () => {
  it("reads quoted and unquoted charset parameters", () => {
    expect(charsetOfContentType('text/html; charset="UTF-8"')).toBe("UTF-8");
    expect(charsetOfContentType("text/html;charset=latin1")).toBe("latin1");
    expect(charsetOfContentType("text/html")).toBeUndefined();
  });

  it("only sniffs <meta> within the first 1024 bytes", () => {
    expect(
      sniffMetaCharset(bytes("<meta http-equiv='content-type' content='text/html; charset=koi8-r'>")),
    ).toBe("koi8-r");
    expect(sniffMetaCharset(bytes(" ".repeat(1024), '<meta charset="koi8-r">'))).toBeUndefined();
  });

  it("canonicalises labels", () => {
    expect(canonicalEncoding("latin1")).toBe("windows-1252");
    expect(canonicalEncoding("SJIS")).toBe("shift_jis");
    expect(canonicalEncoding("nope")).toBeUndefined();
  });
});
