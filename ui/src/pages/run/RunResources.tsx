import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "../../api/client.ts";
import { keys } from "../../api/queries.ts";
import type { RunResources as Resources, RunSummary } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { TimeChart } from "../../components/TimeChart.tsx";
import { useLiveEvents } from "../../live/events.ts";
import { runCharts } from "./run-resource-charts.ts";

/**
 * The Resources panel of a run's page: the server's CPU, memory and event-loop lag over the run's
 * time range (from the samples the server keeps 24 hours) and the run's pages/s. While the run is
 * live, each `health.sampled` event fetches the range again.
 */
export function RunResources({ run }: { run: RunSummary }) {
  const client = useQueryClient();
  const live = run.status === "running" || run.status === "paused" || run.status === "queued";
  const resources = useQuery({
    queryKey: keys.runResources(run.id),
    queryFn: () => api.get<Resources>(`/api/runs/${encodeURIComponent(run.id)}/resources`),
  });
  useLiveEvents((message) => {
    const refresh =
      (message.type === "health.sampled" && live) ||
      (message.type === "run.finished" && message.runId === run.id);
    if (refresh) void client.invalidateQueries({ queryKey: keys.runResources(run.id) });
  });
  const data = resources.data;
  const charts = useMemo(() => (data ? runCharts(data) : []), [data]);
  const sampled = data ? data.samples.length : 0;
  return (
    <>
      <h2>Resources</h2>
      {resources.error && <ErrorMessage error={resources.error} title="Resources" />}
      {data && (
        <div data-testid="run-resources" data-samples={sampled} data-progress={data.progress.length}>
          <p className="muted">
            {sampled === 0
              ? "No samples of the server over this run (samples are taken every " +
                `${Math.round(data.intervalMs / 1000)} s and kept 24 hours).`
              : "The server process over the run's time (the process as a whole, not this run alone), and the run's pages/s."}
          </p>
          <div className="chart-grid">
            {charts.map((chart) => (
              <div className="card" key={chart.testId}>
                <div className="card-header">
                  <strong>{chart.title}</strong>
                </div>
                <TimeChart
                  testId={chart.testId}
                  series={chart.series}
                  data={chart.data}
                  windowSeconds={(data.until - data.from) / 1000}
                  endSeconds={data.until / 1000}
                  {...(chart.unit !== undefined && { unit: chart.unit })}
                />
              </div>
            ))}
          </div>
        </div>
      )}
    </>
  );
}
