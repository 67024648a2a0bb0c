import { expect, it } from "vitest";
import { RobotsCache } from "./robots.ts";

it("answers from loaded rules at once, the same as the asynchronous check", async () => {
  let fetched = 0;
  const cache = new RobotsCache({
    fetchRobots: async () => {
      fetched++;
      return { status: 200, body: "User-agent: *\nDisallow: /private\n" };
    },
  });
  expect(cache.allowedNow("http://a.test/private/x", "trawl/0.1")).toBeUndefined();
  expect(await cache.isAllowed("http://a.test/private/x", "trawl/0.1")).toBe(false);
  expect(cache.allowedNow("http://a.test/private/y", "trawl/0.1")).toBe(false);
  expect(cache.allowedNow("http://A.test:80/ok", "trawl/0.1")).toBe(true);
  expect(cache.allowedNow("http://b.test/private/x", "trawl/0.1")).toBeUndefined();
  expect(fetched).toBe(1);
});

it("allows everything from an origin whose robots.txt is missing", async () => {
  const cache = new RobotsCache({ fetchRobots: async () => ({ status: 404, body: "" }) });
  expect(await cache.isAllowed("https://a.test/private", "trawl")).toBe(true);
  expect(cache.allowedNow("https://a.test/private", "trawl")).toBe(true);
});
