/** The secret store's contract (issue 17), on SQLite and on PostgreSQL. */
import { expect, it } from "vitest";
import { describeStores } from "./backends.ts";

const bytes = (text: string) => Buffer.from(text);

describeStores("secret store", (open) => {
  it("keeps the first data key of the vault", async () => {
    const store = await open();
    expect(await store.secrets.dataKey()).toBeUndefined();
    const first = { wrapped: Buffer.from([0, 1, 255]), nonce: bytes("n1"), wrappedBy: "env", createdAt: 1 };
    const kept = await Promise.all([
      store.secrets.keepDataKey(first),
      store.secrets.keepDataKey({ ...first, wrapped: bytes("second"), createdAt: 2 }),
    ]);
    expect(kept[1]).toEqual(kept[0]);
    expect(await store.secrets.dataKey()).toEqual(kept[0]);
    expect(await store.secrets.keepDataKey({ ...first, wrappedBy: "file", createdAt: 3 })).toEqual(kept[0]);
  });

  it("creates, changes, lists, reads and removes secrets by name", async () => {
    const store = await open();
    expect(await store.secrets.list()).toEqual([]);
    expect(await store.secrets.put("b_token", bytes("n1"), bytes("c1"), 1000)).toBe(true);
    expect(await store.secrets.put("B", bytes("n2"), bytes("c2"), 1500)).toBe(true);
    expect(await store.secrets.put("a", bytes("n3"), Buffer.from([0, 200]), 1700)).toBe(true);
    expect(await store.secrets.put("b_token", bytes("n4"), bytes("c4"), 2000)).toBe(false);
    // Names in byte order, as SQLite sorts them: upper case before lower case.
    expect(await store.secrets.list()).toEqual([
      { name: "B", createdAt: 1500, updatedAt: 1500 },
      { name: "a", createdAt: 1700, updatedAt: 1700 },
      { name: "b_token", createdAt: 1000, updatedAt: 2000 },
    ]);
    const all = await store.secrets.read();
    expect(all.map((s) => s.name)).toEqual(["B", "a", "b_token"]);
    expect(all[1]).toEqual({
      name: "a",
      nonce: bytes("n3"),
      ciphertext: Buffer.from([0, 200]),
      createdAt: 1700,
      updatedAt: 1700,
    });
    expect(all[2]).toMatchObject({ nonce: bytes("n4"), ciphertext: bytes("c4") });
    expect((await store.secrets.read(["b_token", "none", "a"])).map((s) => s.name)).toEqual(["a", "b_token"]);
    expect(await store.secrets.read([])).toEqual([]);
    expect(await store.secrets.remove("a")).toBe(true);
    expect(await store.secrets.remove("a")).toBe(false);
    expect((await store.secrets.list()).map((s) => s.name)).toEqual(["B", "b_token"]);
  });

  it("creates a name once when two writers race for it", async () => {
    const store = await open();
    const created = await Promise.all(
      [1, 2, 3, 4].map((i) => store.secrets.put("token", bytes(`n${i}`), bytes(`c${i}`), i)),
    );
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await store.secrets.list()).toHaveLength(1);
  });
});
