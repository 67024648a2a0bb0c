import { describe, expect, it } from "vitest";
import { bookAt, bookBySku, bookSku, listEntries, listPageCount, parseSku } from "./book-catalog.ts";
import { companyAt, companyBySlug, jobById, jobPageCount, jobsOnPage, listCompanies } from "./job-catalog.ts";
import { hashString, pickSome, seededRandom } from "./seeded.ts";

const books = { seed: 1, booksPerCategory: 25, faults: true };
const jobs = { seed: 1, companies: 12, faults: true };

describe("seeded randomness", () => {
  it("repeats for the same key and differs for another", () => {
    const a = seededRandom(1, "book", "FIC-00001");
    const b = seededRandom(1, "book", "FIC-00001");
    const c = seededRandom(2, "book", "FIC-00001");
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(hashString("abc")).toBe(hashString("abc"));
  });

  it("picks distinct elements in list order, capped at the list size", () => {
    expect(pickSome(seededRandom(1), ["a", "b", "c"], 5)).toEqual(["a", "b", "c"]);
    const some = pickSome(seededRandom(3), [1, 2, 3, 4, 5, 6], 3);
    expect(new Set(some).size).toBe(3);
    expect([...some].sort()).toEqual(some);
  });
});

describe("book catalogue", () => {
  it("round-trips skus and rejects those outside the catalogue", () => {
    expect(bookSku("history", 7)).toBe("HIS-00007");
    expect(parseSku(books, "HIS-00007")).toEqual({ category: "history", index: 7 });
    for (const sku of ["HIS-00026", "HIS-00000", "HIS-007", "HIS-000007", "ABC-00001", "his-00001"]) {
      expect(parseSku(books, sku), sku).toBeUndefined();
    }
    expect(bookBySku(books, "SCI-00025")?.sku).toBe("SCI-00025");
  });

  it("paginates by ten, with one (empty) page for an empty category", () => {
    expect(listPageCount(books)).toBe(3);
    expect(listEntries(books, "science", 3)?.map((e) => e.sku)).toEqual(
      [21, 22, 23, 24, 25].map((i) => bookSku("science", i)),
    );
    expect(listEntries(books, "science", 4)).toBeUndefined();
    const empty = { ...books, booksPerCategory: 0 };
    expect(listPageCount(empty)).toBe(1);
    expect(listEntries(empty, "fiction", 1)).toEqual([]);
    expect(listEntries(empty, "poetry", 1)).toEqual([]); // the cross-listed book does not exist
  });

  it("gives prices with pence and no price to the faulty products", () => {
    const book = bookAt({ ...books, faults: false }, "fiction", 7);
    expect(book.price).not.toBeNull();
    expect(Math.round((book.price ?? 0) * 100) % 100).toBeGreaterThan(0);
    expect(bookAt(books, "fiction", 7).price).toBeNull();
    expect(bookAt(books, "fiction", 7).title).toBe(book.title);
  });
});

describe("job catalogue", () => {
  it("names the first ten companies and numbers the rest", () => {
    const all = listCompanies(jobs);
    expect(all.map((c) => c.slug).slice(0, 2)).toEqual(["acme", "globex"]);
    expect(all[10]?.slug).toBe("company-11");
    expect(companyBySlug(jobs, "company-11")?.index).toBe(10);
    expect(companyBySlug(jobs, "company-13")).toBeUndefined();
    expect(companyBySlug(jobs, "company-3")).toBeUndefined(); // that one is "initech"
    expect(companyAt(jobs, 12)).toBeUndefined();
    expect(all.every((c) => c.jobCount >= 12 && c.jobCount <= 30)).toBe(true);
  });

  it("maps job ids to companies and indexes", () => {
    const globex = companyBySlug(jobs, "globex");
    if (!globex) throw new Error("globex missing");
    expect(jobById(jobs, 2001)?.company.slug).toBe("globex");
    expect(jobById(jobs, 2000 + globex.jobCount)?.index).toBe(globex.jobCount);
    expect(jobById(jobs, 2001 + globex.jobCount)).toBeUndefined();
    expect(jobById(jobs, 2000)).toBeUndefined();
    const lastPage = jobPageCount(globex);
    expect(jobsOnPage(jobs, globex, lastPage)?.at(-1)?.id).toBe(2000 + globex.jobCount);
    expect(jobsOnPage(jobs, globex, lastPage + 1)).toBeUndefined();
  });
});
