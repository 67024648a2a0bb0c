/**
 * The `page_validators` table's row, its record and the values a row is written with: one
 * definition for both backends (sqlite-validators.ts, pg-validators.ts).
 */
import { camelRow } from "./camel-row.ts";
import type { PageValidators } from "./validator-types.ts";

/** A `page_validators` row. */
export interface ValidatorRow {
  scraper: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  final_url: string;
  headers: string;
  body_sha256: string;
  stored_at: number;
}

/** The validators of a row, its headers parsed. */
export function toValidators(row: ValidatorRow): PageValidators {
  return { ...camelRow(row), headers: JSON.parse(row.headers) as Record<string, string> };
}

/** The values of a row, in the table's column order (scraper … stored_at). */
export function validatorValues(v: PageValidators): unknown[] {
  return [
    v.scraper,
    v.url,
    v.etag,
    v.lastModified,
    v.finalUrl,
    JSON.stringify(v.headers),
    v.bodySha256,
    v.storedAt,
  ];
}
