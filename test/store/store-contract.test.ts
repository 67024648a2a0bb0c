/**
 * The store contract (issue 17): what every backend answers the same way. Each repository's
 * contract tests live in their own file through `describeStores` (test/store/backends.ts); this
 * one holds the store's own functions.
 */
import { expect, it } from "vitest";
import { describeStores } from "./backends.ts";

describeStores("the store", (open) => {
  it("passes its integrity check when new", async () => {
    const store = await open();
    expect(await store.integrityCheck()).toEqual(["ok"]);
  });
});
