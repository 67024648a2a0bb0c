/** The validators of `cache: revalidate` in PostgreSQL: the same `ValidatorStore` as SQLite's. */
import type pg from "pg";
import { toValidators, validatorValues, type ValidatorRow } from "./validator-rows.ts";
import type { PageValidators, ValidatorStore } from "./validator-types.ts";

/** The validators of `cache: revalidate`, in PostgreSQL (table `page_validators`). */
export class PgValidatorStore implements ValidatorStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(scraper: string, url: string): Promise<PageValidators | undefined> {
    // Purpose: the validators a revisit of the URL sends, and where its stored body is.
    const { rows } = await this.pool.query<ValidatorRow>(
      `SELECT * FROM page_validators WHERE scraper = $1 AND url = $2`,
      [scraper, url],
    );
    const row = rows[0];
    if (!row) return undefined;
    return toValidators(row);
  }

  async put(v: PageValidators): Promise<void> {
    // Purpose: keep the latest 200 response's validators of the URL (one row per scraper and URL).
    await this.pool.query(
      `INSERT INTO page_validators (scraper, url, etag, last_modified, final_url, headers, body_sha256, stored_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (scraper, url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
         final_url = excluded.final_url, headers = excluded.headers, body_sha256 = excluded.body_sha256,
         stored_at = excluded.stored_at`,
      validatorValues(v),
    );
  }

  async extraction(scraper: string, url: string, key: string): Promise<string | undefined> {
    // Purpose: a revisit's 304 reuses what the unchanged body yielded, without parsing it again.
    const { rows } = await this.pool.query<{ extraction: string }>(
      `SELECT extraction FROM page_extractions WHERE scraper = $1 AND url = $2 AND key = $3`,
      [scraper, url, key],
    );
    return rows[0]?.extraction;
  }

  async keepExtraction(scraper: string, url: string, key: string, extraction: string): Promise<void> {
    // Purpose: keep what a kept body yielded, for the next revisit's 304 (one per scraper and URL:
    // a new key replaces the old one's).
    await this.pool.query(
      `INSERT INTO page_extractions (scraper, url, key, extraction) VALUES ($1, $2, $3, $4)
       ON CONFLICT (scraper, url) DO UPDATE SET key = excluded.key, extraction = excluded.extraction`,
      [scraper, url, key, extraction],
    );
  }
}
