import { percent } from "../lib/format.ts";

/** A thin progress bar; `known` grows while crawling, so the bar can move back a little. */
export function ProgressBar({ done, known, status }: { done: number; known: number; status?: string }) {
  const value = percent(done, known);
  return (
    <div
      className={`progress status-${status ?? "running"}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value)}
      data-testid="progress-bar"
    >
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}
