import { describe, expect, it } from "vitest";
import { convertValue, parseBoolean, parseDate, parseNumber } from "./convert.ts";

describe("parseNumber", () => {
  it.each([
    ["£1,234.50", 1234.5],
    ["1.234,50 €", 1234.5],
    ["$ 12.99", 12.99],
    ["12,5", 12.5],
    ["1,234", 1234],
    ["1.234.567", 1234567],
    ["0.500", 0.5],
    ["1 234,5", 1234.5],
    ["CHF 1'234.50", 1234.5],
    ["-3", -3],
    ["Price: 7 (was 9)", 7],
  ])("%s → %d", (raw, expected) => {
    expect(parseNumber(raw)).toBe(expected);
  });

  it("rejects text without a number or with broken grouping", () => {
    expect(parseNumber("free")).toBeNull();
    expect(parseNumber("1,2,3")).toBeNull();
  });
});

describe("parseBoolean", () => {
  it("accepts the documented words in any case", () => {
    expect(["true", "YES", "1", "on", "y"].map(parseBoolean)).toEqual([true, true, true, true, true]);
    expect(["false", "No", "0", "off", "n"].map(parseBoolean)).toEqual([false, false, false, false, false]);
    expect(parseBoolean("maybe")).toBeNull();
  });
});

describe("parseDate", () => {
  it.each([
    ["2024-03-05", "2024-03-05"],
    ["5 March 2024", "2024-03-05"],
    ["March 5, 2024", "2024-03-05"],
    ["5th Mar 2024", "2024-03-05"],
    ["2024-03-05T10:00", "2024-03-05T10:00:00.000Z"],
    ["2024-03-05T10:00:00+01:00", "2024-03-05T09:00:00.000Z"],
    ["Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05T10:00:00.000Z"],
  ])("%s → %s", (raw, expected) => {
    expect(parseDate(raw)).toBe(expected);
  });

  it("rejects ambiguous and impossible dates", () => {
    expect(parseDate("05/03/2024")).toBeNull();
    expect(parseDate("2024-02-30")).toBeNull();
    expect(parseDate("soon")).toBeNull();
  });
});

describe("convertValue", () => {
  it("resolves urls against the base and reports failures with a reason", () => {
    expect(convertValue("../b?x=1", "url", "http://h/a/c")).toEqual({ ok: true, value: "http://h/b?x=1" });
    expect(convertValue("12.5", "integer", "http://h/")).toMatchObject({ ok: false });
    expect(convertValue("abc", "number", "http://h/")).toEqual({
      ok: false,
      reason: 'cannot convert "abc" to number',
    });
  });
});
