/** Parses Prometheus text with a real parser (parse-prometheus-text-format) into lookups the tests assert on. */
// @ts-expect-error -- the package ships no types; its result is typed below.
import parsePrometheusTextFormat from "parse-prometheus-text-format";

interface Sample {
  labels?: Record<string, string>;
  value?: string;
  buckets?: Record<string, string>;
  quantiles?: Record<string, string>;
  count?: string;
  sum?: string;
}

interface Family {
  name: string;
  type: string;
  help: string;
  metrics: Sample[];
}

/** The metric families of a scrape, and helpers to read a sample and to count series. */
export function parseMetrics(text: string) {
  const families = (parsePrometheusTextFormat as (text: string) => Family[])(text);
  const byName = new Map(families.map((family) => [family.name, family]));
  const matches = (sample: Sample, labels: Record<string, string>) =>
    Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value);
  return {
    families,
    has: (name: string) => byName.has(name),
    /** The value of the sample of `name` with these labels (a histogram: its count); 0 when absent. */
    value(name: string, labels: Record<string, string> = {}): number {
      const sample = byName.get(name)?.metrics.find((s) => matches(s, labels));
      return Number(sample?.value ?? sample?.count ?? 0);
    },
    samples: (name: string) => byName.get(name)?.metrics ?? [],
    /** Series as Prometheus stores them: a histogram's buckets, sum and count each count. */
    seriesCount(): number {
      let count = 0;
      for (const family of families)
        for (const sample of family.metrics)
          count += Object.keys(sample.buckets ?? sample.quantiles ?? {}).length + (sample.count ? 2 : 1);
      return count;
    },
  };
}
