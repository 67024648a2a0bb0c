/**
 * Turns samples into the one markdown table the benchmark prints, and checks the goals of the
 * issue (trawl ≥ 70 % of the bare loop's pages/s, trawl's peak RSS < 300 MB at 20,000 pages).
 */
import type { Sample, VariantName } from "./variants.ts";

/** trawl's pages/s over the bare loop's must reach this. */
export const RATE_GOAL = 0.7;
/** trawl's peak RSS must stay under this many MB (at 20,000 pages). */
export const RSS_GOAL_MB = 300;

/** Medians of one variant's samples. */
export interface VariantSummary {
  variant: VariantName;
  runs: number;
  pages: number;
  records: number;
  pagesPerSecond: number;
  ownPagesPerSecond: number | null;
  cpuSeconds: number;
  peakRssMb: number;
}

/** The median (mean of the middle two for an even count); NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Medians of every measured quantity of one variant's samples. */
export function summarize(variant: VariantName, samples: Sample[]): VariantSummary {
  const mine = samples.filter((s) => s.variant === variant);
  const own = mine.map((s) => s.ownPagesPerSecond).filter((v): v is number => v !== null);
  return {
    variant,
    runs: mine.length,
    pages: median(mine.map((s) => s.pages)),
    records: median(mine.map((s) => s.records)),
    pagesPerSecond: median(mine.map((s) => s.pagesPerSecond)),
    ownPagesPerSecond: own.length > 0 ? median(own) : null,
    cpuSeconds: median(mine.map((s) => s.cpuSeconds)),
    peakRssMb: median(mine.map((s) => s.peakRssMb)),
  };
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

/** The markdown table: one row per variant, ratios relative to `bare`. */
export function markdownTable(rows: VariantSummary[], bare: VariantSummary): string {
  const header =
    "| variant | pages | records | pages/s (median) | own pages/s | CPU s | peak RSS MB | ratio to bare (pages/s) |";
  const lines = rows.map((row) =>
    [
      row.variant,
      String(row.pages),
      String(row.records),
      fixed(row.pagesPerSecond, 0),
      row.ownPagesPerSecond === null ? "-" : fixed(row.ownPagesPerSecond, 0),
      fixed(row.cpuSeconds, 2),
      fixed(row.peakRssMb, 0),
      `${fixed((100 * row.pagesPerSecond) / bare.pagesPerSecond, 0)} %`,
    ].join(" | "),
  );
  return [header, "|---|--:|--:|--:|--:|--:|--:|--:|", ...lines.map((line) => `| ${line} |`)].join("\n");
}

/** Whether each goal was met, as lines to print (goals are reported, never asserted). */
export function goalLines(trawl: VariantSummary, bare: VariantSummary, targetPages: number): string[] {
  const ratio = trawl.pagesPerSecond / bare.pagesPerSecond;
  const rateMet = ratio >= RATE_GOAL;
  const rssMet = trawl.peakRssMb < RSS_GOAL_MB;
  const rssNote =
    targetPages < 20_000 ? ` (the goal is stated for 20,000 pages; this run had ${trawl.pages})` : "";
  return [
    `- pages/s goal (trawl ≥ ${RATE_GOAL * 100} % of bare): ${rateMet ? "met" : "NOT met"} — ${fixed(100 * ratio, 1)} %`,
    `- memory goal (trawl peak RSS < ${RSS_GOAL_MB} MB): ${rssMet ? "met" : "NOT met"} — ${fixed(trawl.peakRssMb, 0)} MB${rssNote}`,
  ];
}
