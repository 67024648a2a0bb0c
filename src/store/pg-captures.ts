/**
 * Captures in PostgreSQL: the same `CaptureStore` as sqlite-captures.ts. A capture's `detail`
 * is JSON text, read through `json` (which keeps a value's text as written) where SQLite uses
 * json_extract. PostgreSQL refuses a `\u0000` escape anywhere in the text it parses, so it is
 * parsed with `\ufffd` in its place (as pg-record-predicates.ts does), and a body's text is
 * compared with the same replacement made in it.
 */
import type pg from "pg";
import type { RequestBody } from "../core/index.ts";
import { toRecord, type CaptureRow } from "./capture-rows.ts";
import { pgTransaction } from "./pg-database.ts";
import type { CaptureKind, CaptureRecord, CaptureStore, NewCapture } from "./types.ts";

/** `detail` parsed as `json`, NUL escapes replaced (see above). */
const DETAIL = String.raw`replace(detail, '\u0000', '\ufffd')::json`;

/** The JSON text of a string as `DETAIL` holds it. */
function jsonText(text: string): string {
  return JSON.stringify(text).replaceAll("\\u0000", "\\ufffd");
}

/** Captures in PostgreSQL. */
export class PgCaptureStore implements CaptureStore {
  constructor(private readonly pool: pg.Pool) {}

  async add(runId: string, captures: NewCapture[]): Promise<number[]> {
    // Purpose: store captures. Params: run, time, kind, URL, detail JSON, blob, size.
    return pgTransaction(this.pool, async (client) => {
      const ids: number[] = [];
      for (const capture of captures) {
        const { rows } = await client.query<{ id: number }>(
          `INSERT INTO captures (run_id, at, kind, url, detail, blob, size) VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING id`,
          [
            runId,
            capture.at,
            capture.kind,
            capture.url,
            JSON.stringify(capture.detail),
            capture.blob ?? null,
            capture.size ?? null,
          ],
        );
        ids.push(rows[0]!.id);
      }
      return ids;
    });
  }

  async list(
    runId: string,
    options: { kinds?: CaptureKind[]; afterId?: number; limit?: number } = {},
  ): Promise<CaptureRecord[]> {
    // Purpose: a run's captures in order, of some kinds, paged by id. Params: run, after, limit[, kinds].
    const kinds = options.kinds?.length ? `AND kind = ANY($4::text[])` : "";
    const params: unknown[] = [runId, options.afterId ?? 0, options.limit ?? 1000];
    if (kinds) params.push(options.kinds);
    const { rows } = await this.pool.query<CaptureRow>(
      `SELECT * FROM captures WHERE run_id = $1 AND id > $2 ${kinds} ORDER BY id LIMIT $3`,
      params,
    );
    return rows.map(toRecord);
  }

  async get(runId: string, id: number): Promise<CaptureRecord | null> {
    // Purpose: one capture of a run.
    const { rows } = await this.pool.query<CaptureRow>(
      `SELECT * FROM captures WHERE run_id = $1 AND id = $2`,
      [runId, id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async latestPage(runId: string, url: string, body?: RequestBody | null): Promise<CaptureRecord | null> {
    // Purpose: the page capture replay serves for a request: the last one stored of the URL (and
    // of its GET, or of the POST of a body). Params: run, url[, body type, body text as JSON].
    // The text is compared as JSON text: add() wrote it with JSON.stringify, as it is bound here.
    const request =
      body === undefined
        ? ""
        : body === null
          ? `AND COALESCE(json_typeof(${DETAIL} -> 'request'), 'null') = 'null'`
          : `AND ${DETAIL} -> 'request' ->> 'type' = $3 AND (${DETAIL} -> 'request' -> 'text')::text = $4`;
    const { rows } = await this.pool.query<CaptureRow>(
      `SELECT * FROM captures WHERE run_id = $1 AND url = $2 AND kind = 'page' ${request} ORDER BY id DESC LIMIT 1`,
      [runId, url, ...(body ? [body.type, jsonText(body.text)] : [])],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async pagesOf(runId: string, url: string, limit = 1000): Promise<CaptureRecord[]> {
    // Purpose: every page capture of a URL, latest first (the POSTs of one URL). Params: run, url, limit.
    const { rows } = await this.pool.query<CaptureRow>(
      `SELECT * FROM captures WHERE run_id = $1 AND url = $2 AND kind = 'page' ORDER BY id DESC LIMIT $3`,
      [runId, url, limit],
    );
    return rows.map(toRecord);
  }

  async latestResponse(runId: string, url: string, method: string): Promise<CaptureRecord | null> {
    // Purpose: the recorded response a replayed browser gets for a request. Params: run, url, method.
    const { rows } = await this.pool.query<CaptureRow>(
      `SELECT * FROM captures WHERE run_id = $1 AND url = $2 AND kind = 'response'
       AND ${DETAIL} ->> 'method' = $3 ORDER BY id DESC LIMIT 1`,
      [runId, url, method],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async counts(runId: string): Promise<Partial<Record<CaptureKind, number>>> {
    // Purpose: how many captures of each kind a run has.
    const { rows } = await this.pool.query<{ kind: CaptureKind; n: number }>(
      `SELECT kind, COUNT(*) AS n FROM captures WHERE run_id = $1 GROUP BY kind`,
      [runId],
    );
    return Object.fromEntries(rows.map((row) => [row.kind, row.n]));
  }
}
