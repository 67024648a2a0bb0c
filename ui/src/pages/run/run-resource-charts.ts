import type { RunProgressSample, RunResources } from "../../api/types.ts";
import type { Series } from "../../components/TimeChart.tsx";
import { CHARTS, LAG_CHART, chartColumns, type ChartSpec } from "../health/health-charts.ts";

/** A chart of the run's Resources panel: its title, test id, series and their columns. */
export interface RunChart {
  title: string;
  testId: string;
  series: Series[];
  data: (number | null)[][];
  unit?: string;
}

/** The Health page's chart of `testId` (same series and colours), under the run page's title and test id. */
function healthChart(testId: string, title: string, runTestId: string): ChartSpec {
  const chart = testId === LAG_CHART.testId ? LAG_CHART : CHARTS.find((c) => c.testId === testId)!;
  return { ...chart, title, testId: runTestId };
}

/** The server's resources drawn as the Health page draws them (same series and colours). */
const SERVER_CHARTS: ChartSpec[] = [
  healthChart("health-process-cpu", "Server CPU", "run-resource-cpu"),
  healthChart("health-process-memory", "Server memory", "run-resource-memory"),
  healthChart(LAG_CHART.testId, "Server event-loop lag", "run-resource-lag"),
];

const PACE = { label: "pages/s", color: "#059669" };

/**
 * Every chart of the panel with its data: the server's CPU, memory and event-loop lag from its
 * health samples, then the run's pages/s from its own progress samples (gaps where samples are
 * missing, as on the Health page).
 */
export function runCharts(resources: RunResources): RunChart[] {
  const columns = chartColumns(resources.samples, resources.intervalMs);
  const server = SERVER_CHARTS.map((chart) => ({
    title: chart.title,
    testId: chart.testId,
    series: chart.series,
    data: [columns.x, ...chart.series.map((s) => columns.values(s.value))],
    ...(chart.unit !== undefined && { unit: chart.unit }),
  }));
  return [
    ...server,
    {
      title: "Run pages/s",
      testId: "run-resource-pages",
      series: [PACE],
      data: paceColumns(resources.progress),
    },
  ];
}

/** The x column (Unix seconds) and the pages/s column of the run's progress samples. */
function paceColumns(progress: RunProgressSample[]): (number | null)[][] {
  const paced = progress.filter((p) => p.pagesPerSecond !== null);
  return [paced.map((p) => p.at / 1000), paced.map((p) => p.pagesPerSecond)];
}
