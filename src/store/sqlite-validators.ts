import type { Statement } from "better-sqlite3";
import { toValidators, validatorValues, type ValidatorRow } from "./validator-rows.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import type { PageValidators, ValidatorStore } from "./validator-types.ts";

/** The validators of `cache: revalidate`, in SQLite (table `page_validators`). */
export class SqliteValidatorStore implements ValidatorStore {
  // Prepared once, on first use: every request of a revisit reads one row and writes one.
  private select: Statement | undefined;
  private upsert: Statement | undefined;
  private selectExtraction: Statement | undefined;
  private upsertExtraction: Statement | undefined;

  constructor(private readonly db: SqliteDatabase) {}

  async get(scraper: string, url: string): Promise<PageValidators | undefined> {
    // Purpose: the validators a revisit of the URL sends, and where its stored body is.
    this.select ??= this.db.prepare(`SELECT * FROM page_validators WHERE scraper = ? AND url = ?`);
    const row = this.select.get(scraper, url) as ValidatorRow | undefined;
    if (!row) return undefined;
    return toValidators(row);
  }

  async put(v: PageValidators): Promise<void> {
    // Purpose: keep the latest 200 response's validators of the URL (one row per scraper and URL).
    this.upsert ??= this.db.prepare(
      `INSERT OR REPLACE INTO page_validators
         (scraper, url, etag, last_modified, final_url, headers, body_sha256, stored_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const upsert = this.upsert;
    writeTransaction(this.db, () => upsert.run(...validatorValues(v)));
  }

  async extraction(scraper: string, url: string, key: string): Promise<string | undefined> {
    // Purpose: a revisit's 304 reuses what the unchanged body yielded, without parsing it again.
    this.selectExtraction ??= this.db.prepare(
      `SELECT extraction FROM page_extractions WHERE scraper = ? AND url = ? AND key = ?`,
    );
    const row = this.selectExtraction.get(scraper, url, key) as { extraction: string } | undefined;
    return row?.extraction;
  }

  async keepExtraction(scraper: string, url: string, key: string, extraction: string): Promise<void> {
    // Purpose: keep what a kept body yielded, for the next revisit's 304.
    this.upsertExtraction ??= this.db.prepare(
      `INSERT OR REPLACE INTO page_extractions (scraper, url, key, extraction) VALUES (?, ?, ?, ?)`,
    );
    const upsert = this.upsertExtraction;
    writeTransaction(this.db, () => upsert.run(scraper, url, key, extraction));
  }
}
