/** Records, as every layer passes them: the engine stores them, steps filter them, datasets publish them. */

/** A scraped record: plain JSON values only. */
export type ScrapedRecord = Record<string, unknown>;

/** The file formats a dataset version can be published and exported in. */
export const EXPORT_FORMATS = ["jsonl", "csv", "json"] as const;

export type ExportFormat = (typeof EXPORT_FORMATS)[number];
