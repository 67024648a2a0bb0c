/** Messages between the crawl and its parse threads (see `ParsePool`). */
import type { DeclarativePage, Extraction, PageInput } from "./types.ts";

/** What a parse thread starts with: the declarative page types of the scraper, by name. */
export interface ParseWorkerData {
  pages: Record<string, DeclarativePage>;
}

/** One page to extract. */
export interface ParseTask {
  id: number;
  pageType: string;
  page: PageInput;
}

/** The answer to a task; id 0 announces that the thread is ready. */
export type ParseReply =
  | { id: 0; ready: true }
  | { id: number; ok: true; extraction: Extraction }
  | { id: number; ok: false; error: ParseFailure };

/**
 * A failed extraction as it crosses threads: an error's class does not survive the trip, so its
 * name, message and reason code (a `NotJsonError`'s `not_json`) are carried as data.
 */
export interface ParseFailure {
  name: string;
  message: string;
  reason?: string;
}
