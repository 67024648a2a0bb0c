/** The capture store's contract (issue 17), on SQLite and on PostgreSQL. */
import { expect, it } from "vitest";
import type { NewCapture, Store } from "../../src/store/index.ts";
import { describeStores } from "./backends.ts";

const newRun = { scraper: "shop", source: null, definitionHash: "h", targets: ["a"], breakpoints: [] };
const steps = [{ name: "crawl", kind: "crawl" as const }];
const A = "https://shop.test/a";

async function runOf(store: Store): Promise<string> {
  return (await store.runs.create({ ...newRun, steps }, 1000)).id;
}

const page = (at: number, url: string, detail: Record<string, unknown> = {}): NewCapture => ({
  kind: "page",
  at,
  url,
  detail: { status: 200, ...detail },
  blob: "b".repeat(64),
  size: 10,
});

describeStores("capture store", (open) => {
  it("stores captures in order and lists them by kind, after an id, up to a limit", async () => {
    const store = await open();
    const run = await runOf(store);
    const other = await runOf(store);
    const ids = await store.captures.add(run, [
      page(1, A, { z: 1, a: [1, { y: null }] }),
      { kind: "action", at: 2, url: A, detail: { action: "click" } },
      { kind: "screenshot", at: 3, url: null, detail: {}, blob: "c".repeat(64) },
      page(4, `${A}?2`),
    ]);
    expect(ids).toHaveLength(4);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(await store.captures.add(run, [])).toEqual([]);
    await store.captures.add(other, [page(5, A)]);
    const all = await store.captures.list(run);
    expect(all.map((c) => c.id)).toEqual(ids);
    expect(all[0]).toEqual({ id: ids[0], runId: run, ...page(1, A, { z: 1, a: [1, { y: null }] }) });
    expect(Object.keys(all[0]!.detail)).toEqual(["status", "z", "a"]);
    expect(all[2]).toMatchObject({ url: null, size: null, blob: "c".repeat(64) });
    expect((await store.captures.list(run, { kinds: ["page", "screenshot"] })).map((c) => c.id)).toEqual([
      ids[0],
      ids[2],
      ids[3],
    ]);
    expect((await store.captures.list(run, { afterId: ids[0], limit: 2 })).map((c) => c.id)).toEqual([
      ids[1],
      ids[2],
    ]);
    expect(await store.captures.list("R-NONE")).toEqual([]);
    expect(await store.captures.get(run, ids[1]!)).toEqual(all[1]);
    expect(await store.captures.get(other, ids[1]!)).toBeNull();
    expect(await store.captures.counts(run)).toEqual({ page: 2, action: 1, screenshot: 1 });
    expect(await store.captures.counts("R-NONE")).toEqual({});
  });

  it("finds the latest page of a URL, of its GET, or of the POST of a body", async () => {
    const store = await open();
    const run = await runOf(store);
    const form = { type: "form" as const, text: "q=1" };
    // A NUL in a body (SQLite's crawl keys hold them; PostgreSQL's jsonb refuses them).
    const odd = { type: "json" as const, text: '{"q":"\u0000é\\/"}' };
    const [get1, post1, get2, post2, postOdd] = await store.captures.add(run, [
      page(1, A),
      page(2, A, { request: form }),
      page(3, A, { request: null }),
      page(4, A, { request: { ...form, text: "q=2" } }),
      page(5, A, { request: odd }),
    ]);
    expect((await store.captures.latestPage(run, A))?.id).toBe(postOdd);
    expect((await store.captures.latestPage(run, A, null))?.id).toBe(get2);
    expect((await store.captures.latestPage(run, A, form))?.id).toBe(post1);
    expect((await store.captures.latestPage(run, A, { ...form, text: "q=2" }))?.id).toBe(post2);
    expect((await store.captures.latestPage(run, A, odd))?.detail).toEqual({ status: 200, request: odd });
    expect(await store.captures.latestPage(run, A, { type: "json", text: "q=1" })).toBeNull();
    const replaced = { ...odd, text: odd.text.replace("\u0000", "\ufffd") };
    expect(await store.captures.latestPage(run, A, replaced)).toBeNull();
    expect(await store.captures.latestPage(run, `${A}/x`)).toBeNull();
    expect((await store.captures.pagesOf(run, A)).map((c) => c.id)).toEqual([
      postOdd,
      post2,
      get2,
      post1,
      get1,
    ]);
    expect((await store.captures.pagesOf(run, A, 2)).map((c) => c.id)).toEqual([postOdd, post2]);
  });

  it("finds the latest browser response to a method and URL", async () => {
    const store = await open();
    const run = await runOf(store);
    const response = (at: number, method: string): NewCapture => ({
      kind: "response",
      at,
      url: A,
      detail: { method, status: 200, headers: { "x-odd": "\u0000" } },
    });
    const [get1, post, get2] = await store.captures.add(run, [
      response(1, "GET"),
      response(2, "POST"),
      response(3, "GET"),
    ]);
    expect(await store.captures.latestResponse(run, A, "GET")).toMatchObject({ id: get2, at: 3 });
    expect((await store.captures.latestResponse(run, A, "POST"))?.id).toBe(post);
    expect(await store.captures.latestResponse(run, A, "PUT")).toBeNull();
    expect(await store.captures.latestPage(run, A)).toBeNull();
    expect(get1).toBeLessThan(get2!);
  });
});
