import { formatDuration, formatNumber } from "../lib/format.ts";

export interface PipelineStep {
  name: string;
  kind: string;
  status?: string;
  records?: number | null;
  durationMs?: number | null;
}

/** The steps of a run as a row of boxes (crawl → validate → …), coloured by status. */
export function StepPipeline({ steps }: { steps: PipelineStep[] }) {
  if (steps.length === 0) return null;
  return (
    <ol className="pipeline" data-testid="pipeline">
      {steps.map((step, index) => (
        <li
          key={`${index}-${step.name}`}
          className={`pipeline-step status-${step.status ?? "idle"}`}
          data-testid="pipeline-step"
          data-step={step.name}
          data-status={step.status ?? "idle"}
        >
          <div className="pipeline-name">{step.name}</div>
          <div className="pipeline-meta">
            {step.kind !== step.name && <span>{step.kind}</span>}
            {step.status && <span>{step.status}</span>}
            {step.records !== undefined && step.records !== null && (
              <span>{formatNumber(step.records)} rec</span>
            )}
            {step.durationMs !== undefined && step.durationMs !== null && (
              <span>{formatDuration(step.durationMs)}</span>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
