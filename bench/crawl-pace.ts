/**
 * The steady pace of a crawl on PostgreSQL, read from the database while it runs: the requests
 * finished (done or failed), polled every {@link POLL_MS}, and the pages per second between the
 * moments a fifth and four fifths of them were finished. It leaves out what every process pays
 * once whatever the fleet's size (starting Node, opening the store, the first pages while the JIT
 * warms up, the last pages of a draining queue), so that the fleet's ratio measures how well the
 * processes share the run.
 */
import pg from "pg";

const POLL_MS = 100;
/** The share of the pages where the steady part starts, and where it ends. */
const FROM = 0.2;
const TO = 0.8;

/** A crawl being watched; `stop` resolves to its steady pages per second (undefined: too few samples). */
export interface PaceWatch {
  stop(): Promise<number | undefined>;
}

/** Starts polling the finished requests of every run in the database at `url`. */
export async function watchCrawlPace(url: string): Promise<PaceWatch> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const samples: { at: number; finished: number }[] = [];
  let stopped = false;
  const poll = (async () => {
    while (!stopped) {
      // Purpose: requests finished so far (no table yet: the crawl's process has not migrated
      // the fresh database yet). Params: none.
      const finished = await client
        .query<{ n: number }>("SELECT count(*)::integer AS n FROM requests WHERE state IN ('done', 'failed')")
        .then(({ rows }) => rows[0]!.n)
        .catch(() => 0);
      samples.push({ at: performance.now(), finished });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await poll;
      await client.end();
      return steadyPace(samples);
    },
  };
}

/** Pages per second between the first samples at or past {@link FROM} and {@link TO} of the total. */
function steadyPace(samples: readonly { at: number; finished: number }[]): number | undefined {
  const total = samples.at(-1)?.finished ?? 0;
  const from = samples.find((s) => s.finished >= FROM * total);
  const to = samples.find((s) => s.finished >= TO * total);
  if (!from || !to || to.at <= from.at) return undefined;
  return (to.finished - from.finished) / ((to.at - from.at) / 1000);
}
