import { toRecord, type CaptureRow } from "./capture-rows.ts";
import { writeTransaction, type SqliteDatabase } from "./database.ts";
import type { CaptureKind, CaptureRecord, CaptureStore, NewCapture } from "./types.ts";
import type { RequestBody } from "../core/index.ts";

/** Captures in SQLite. */
export class SqliteCaptureStore implements CaptureStore {
  constructor(private readonly db: SqliteDatabase) {}

  async add(runId: string, captures: NewCapture[]): Promise<number[]> {
    // Purpose: store captures. Params: run, time, kind, URL, detail JSON, blob, size.
    const insert = this.db.prepare(
      `INSERT INTO captures (run_id, at, kind, url, detail, blob, size) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    return writeTransaction(this.db, () =>
      captures.map((capture) =>
        Number(
          insert.run(
            runId,
            capture.at,
            capture.kind,
            capture.url,
            JSON.stringify(capture.detail),
            capture.blob ?? null,
            capture.size ?? null,
          ).lastInsertRowid,
        ),
      ),
    );
  }

  async list(
    runId: string,
    options: { kinds?: CaptureKind[]; afterId?: number; limit?: number } = {},
  ): Promise<CaptureRecord[]> {
    // Purpose: a run's captures in order, of some kinds, paged by id.
    const kinds = options.kinds?.length ? `AND kind IN (${options.kinds.map(() => "?").join(", ")})` : "";
    const sql = `SELECT * FROM captures WHERE run_id = ? AND id > ? ${kinds} ORDER BY id LIMIT ?`;
    const rows = this.db
      .prepare(sql)
      .all(runId, options.afterId ?? 0, ...(options.kinds ?? []), options.limit ?? 1000) as CaptureRow[];
    return rows.map(toRecord);
  }

  async get(runId: string, id: number): Promise<CaptureRecord | null> {
    // Purpose: one capture of a run.
    const row = this.db.prepare(`SELECT * FROM captures WHERE run_id = ? AND id = ?`).get(runId, id) as
      CaptureRow | undefined;
    return row ? toRecord(row) : null;
  }

  async latestPage(runId: string, url: string, body?: RequestBody | null): Promise<CaptureRecord | null> {
    // Purpose: the page capture replay serves for a request: the last one stored of the URL (and
    // of its GET, or of the POST of a body). Params: run, url[, body type, body].
    const request =
      body === undefined
        ? ""
        : body === null
          ? "AND json_extract(detail, '$.request') IS NULL"
          : "AND json_extract(detail, '$.request.type') = ? AND json_extract(detail, '$.request.text') = ?";
    const row = this.db
      .prepare(
        `SELECT * FROM captures WHERE run_id = ? AND url = ? AND kind = 'page' ${request} ORDER BY id DESC LIMIT 1`,
      )
      .get(runId, url, ...(body ? [body.type, body.text] : [])) as CaptureRow | undefined;
    return row ? toRecord(row) : null;
  }

  async pagesOf(runId: string, url: string, limit = 1000): Promise<CaptureRecord[]> {
    // Purpose: every page capture of a URL, latest first (the POSTs of one URL). Params: run, url, limit.
    const rows = this.db
      .prepare(
        `SELECT * FROM captures WHERE run_id = ? AND url = ? AND kind = 'page' ORDER BY id DESC LIMIT ?`,
      )
      .all(runId, url, limit) as CaptureRow[];
    return rows.map(toRecord);
  }

  async latestResponse(runId: string, url: string, method: string): Promise<CaptureRecord | null> {
    // Purpose: the recorded response a replayed browser gets for a request.
    const row = this.db
      .prepare(
        `SELECT * FROM captures WHERE run_id = ? AND url = ? AND kind = 'response'
         AND json_extract(detail, '$.method') = ? ORDER BY id DESC LIMIT 1`,
      )
      .get(runId, url, method) as CaptureRow | undefined;
    return row ? toRecord(row) : null;
  }

  async counts(runId: string): Promise<Partial<Record<CaptureKind, number>>> {
    // Purpose: how many captures of each kind a run has.
    const rows = this.db
      .prepare(`SELECT kind, COUNT(*) AS n FROM captures WHERE run_id = ? GROUP BY kind`)
      .all(runId) as { kind: CaptureKind; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.kind, row.n]));
  }
}
