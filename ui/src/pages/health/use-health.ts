import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, query } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { Health, HealthSample, HealthSamples } from "../../api/types.ts";
import { useLiveEvents } from "../../live/events.ts";
import { CHARTS, chartColumns } from "./health-charts.ts";

/**
 * The server's health now, and its samples over the last `range` ms with each chart's data: the
 * stored samples, then each `health.sampled` event appended (which also refreshes the figures).
 */
export function useHealth(range: number) {
  const client = useQueryClient();
  const health = useQuery({ queryKey: keys.health, queryFn: () => api.get<Health>("/api/health") });
  const history = useQuery({
    queryKey: keys.healthSamples(range),
    queryFn: () =>
      api.get<HealthSamples>(
        `/api/health/samples${query({ from: new Date(Date.now() - range).toISOString() })}`,
      ),
  });
  useLiveEvents((message) => {
    if (message.type !== "health.sampled") return;
    client.setQueriesData<HealthSamples>({ queryKey: ["health-samples"] }, (data) =>
      data ? withSample(data, message.sample) : data,
    );
    void client.invalidateQueries({ queryKey: keys.health });
  });
  const samples = history.data?.samples;
  const intervalMs = history.data?.intervalMs ?? 10_000;
  // One data set per chart, rebuilt only when the samples change (not when the figures refresh).
  const chartData = useMemo(() => {
    const columns = chartColumns(samples ?? [], intervalMs);
    return CHARTS.map((chart) => [columns.x, ...chart.series.map((s) => columns.values(s.value))]);
  }, [samples, intervalMs]);
  return { health, history, samples, chartData };
}

/** The stored samples with a live one appended (once: a sample both fetched and streamed is not doubled). */
function withSample(data: HealthSamples, sample: HealthSample): HealthSamples {
  const last = data.samples.at(-1);
  if (last && sample.at <= last.at) return data;
  const from = sample.at - (data.until - data.from);
  return { ...data, samples: [...data.samples.filter((s) => s.at >= from), sample] };
}
