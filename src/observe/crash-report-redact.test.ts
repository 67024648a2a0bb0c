import { describe, expect, it } from "vitest";
import { redactArgv } from "./crash-report-redact.ts";

describe("redactArgv", () => {
  it("redacts credential-named option values, URL passwords and token-like query values", () => {
    expect(
      redactArgv([
        "run",
        "books.yaml",
        "--token",
        "t0ps3cret",
        "--api-key=k3y",
        "--proxy",
        "http://user:hunter2@proxy.example:8080",
        "https://shop.example/feed?access_token=abc&page=2",
        "--json",
      ]),
    ).toEqual([
      "run",
      "books.yaml",
      "--token",
      "[redacted]",
      "--api-key=[redacted]",
      "--proxy",
      "http://%5Bredacted%5D:%5Bredacted%5D@proxy.example:8080/",
      "https://shop.example/feed?access_token=%5Bredacted%5D&page=2",
      "--json",
    ]);
  });

  it("leaves an ordinary command line as it is", () => {
    const argv = ["resume", "RUN-20261206-ABC123", "--home", "/data/trawl", "--port", "7878"];
    expect(redactArgv(argv)).toEqual(argv);
  });
});
