/** A coloured pill for a run, step, target or schedule status (colours in styles.css). */
export function StatusBadge({ status, testId = "run-status" }: { status: string; testId?: string }) {
  return (
    <span className={`badge status-${status}`} data-testid={testId} data-status={status}>
      {status}
    </span>
  );
}
