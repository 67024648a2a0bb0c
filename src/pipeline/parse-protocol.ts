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
  | { id: number; ok: false; error: { name: string; message: string } };
