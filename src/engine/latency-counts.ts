/**
 * A run's response times as counts per bucket: exact milliseconds below 100 ms, two significant
 * digits above (110, 120, … 990, 1,000, 1,100 …: within 5 %). Unlike a window of recent samples,
 * it covers the whole run in a few hundred numbers at most, is stored with the run's statistics
 * (so a resumed run's percentiles still cover its earlier sessions) and adds up over the
 * processes of a run on several machines.
 */
export type LatencyCounts = Record<string, number>;

/** The bucket of a response time in milliseconds. */
export function latencyBucket(ms: number): number {
  const rounded = Math.max(0, Math.round(ms));
  return rounded < 100 ? rounded : Number(rounded.toPrecision(2));
}

/** Adds `count` responses of `ms` to `counts`. */
export function countLatency(counts: LatencyCounts, ms: number, count = 1): void {
  const key = String(latencyBucket(ms));
  counts[key] = (counts[key] ?? 0) + count;
}

/** Adds every bucket of `more` to `counts`. */
export function addLatencyCounts(counts: LatencyCounts, more: LatencyCounts): void {
  for (const [bucket, count] of Object.entries(more)) counts[bucket] = (counts[bucket] ?? 0) + count;
}

/** The nearest-rank percentiles `ps` (0–1) of the counted times; 0 when nothing was counted. */
export function latencyPercentiles(counts: LatencyCounts, ps: readonly number[]): number[] {
  const buckets = Object.entries(counts)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  return ps.map((p) => {
    if (total === 0) return 0;
    const rank = Math.max(1, Math.ceil(p * total));
    let seen = 0;
    for (const [bucket, count] of buckets) {
      seen += count;
      if (seen >= rank) return bucket;
    }
    return buckets.at(-1)![0];
  });
}
