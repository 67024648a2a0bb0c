import { Link } from "react-router";
import type { Health } from "../../api/types.ts";
import { formatBytes } from "../../lib/format.ts";

/** What each pressure level means for runs (docs/limits.md). */
const LEVEL_TEXT: Record<Health["governor"]["level"], string> = {
  ok: "runs start at once",
  high: "near the ceiling: new runs wait, running ones run at half concurrency",
  critical: "at the ceiling: new runs wait, running ones keep one request in flight",
};

/**
 * The resource governor: the server's resident memory against its ceiling, the runs waiting for
 * memory, and what each executing run is charged (what `max_memory` and `max_cpu` compare).
 */
export function GovernorBox({ governor }: { governor: Health["governor"] }) {
  return (
    <div data-testid="health-governor" data-level={governor.level}>
      <p>
        <strong>Memory:</strong> {formatBytes(governor.rss)} of the {formatBytes(governor.ceiling)} ceiling ·{" "}
        <span className={governor.level === "ok" ? "muted" : "text-warn"}>{LEVEL_TEXT[governor.level]}</span>
      </p>
      <p data-testid="health-waiting-runs" data-count={governor.waiting.length}>
        <strong>Waiting for memory:</strong>{" "}
        {governor.waiting.length === 0
          ? "none"
          : governor.waiting.map((id) => (
              <Link key={id} to={`/runs/${id}`} className="mono chip">
                {id}
              </Link>
            ))}
      </p>
      {governor.runs.length > 0 && (
        <ul data-testid="health-run-usage">
          {governor.runs.map((run) => (
            <li key={run.runId}>
              <Link to={`/runs/${run.runId}`} className="mono">
                {run.runId}
              </Link>
              : {formatBytes(run.memoryBytes)} of memory
              {run.maxMemoryBytes !== null && ` (max_memory ${formatBytes(run.maxMemoryBytes)})`},{" "}
              {run.cpuSeconds.toFixed(1)} s of CPU
              {run.maxCpuSeconds !== null && ` (max_cpu ${run.maxCpuSeconds} s)`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
