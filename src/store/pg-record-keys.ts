/**
 * Record order keys and sources on PostgreSQL. SQLite's keep a NUL between a crawl record's URL,
 * its POST body digest and its position (`crawlRecordOrder`), and a step record's source keeps
 * one before the digest (record-source.ts); PostgreSQL's text cannot hold a NUL. So this store
 * writes U+0001 in its place and gives NULs back on reading: the order is the same (both sort
 * below every character a URL can hold, and `records.ord` compares bytes, COLLATE "C").
 * Whatever writes `records` rows on PostgreSQL (the queue's completions too) goes through here.
 */
import type { RequestBody } from "../core/index.ts";
import { crawlRecordOrder } from "./sqlite-queue.ts";

/** What PostgreSQL stores where SQLite stores a NUL. */
export const PG_KEY_SEPARATOR = "\u0001";

/** An order key or source as PostgreSQL stores it (NULs replaced). */
export function toPgKey(text: string): string {
  return text.replaceAll("\u0000", PG_KEY_SEPARATOR);
}

/** An order key or source as read from PostgreSQL, with its NULs back. */
export function fromPgKey(text: string): string {
  return text.replaceAll(PG_KEY_SEPARATOR, "\u0000");
}

/** The order key of the `index`-th record of a page, as the crawl stage stores it on PostgreSQL. */
export function pgCrawlRecordOrder(url: string, index: number, body?: RequestBody): string {
  return toPgKey(crawlRecordOrder(url, index, body));
}
