import { describe, expect, it } from "vitest";
import { textDiff } from "../../ui/src/lib/text-diff.ts";

describe("textDiff (the part of a changed value the app marks)", () => {
  it("keeps the common start and end, and marks only the middle", () => {
    expect(textDiff("Item 1", "Item 1, revised")).toEqual({
      prefix: "Item 1",
      before: "",
      after: ", revised",
      suffix: "",
    });
    expect(textDiff("£45,000 a year", "£48,000 a year")).toEqual({
      prefix: "£4",
      before: "5",
      after: "8",
      suffix: ",000 a year",
    });
    expect(textDiff("abc", "xyz")).toEqual({ prefix: "", before: "abc", after: "xyz", suffix: "" });
  });

  it("never overlaps prefix and suffix on repeated characters", () => {
    expect(textDiff("aaa", "aaaa")).toEqual({ prefix: "aaa", before: "", after: "a", suffix: "" });
  });

  it("never cuts an emoji in half", () => {
    const parts = textDiff("go 😀", "go 😃");
    expect(parts).toEqual({ prefix: "go ", before: "😀", after: "😃", suffix: "" });
    expect(textDiff("😀 up", "😃 up")).toEqual({ prefix: "", before: "😀", after: "😃", suffix: " up" });
  });
});
