import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client.ts";
import type { ScheduleFields, SchedulePreview as Preview } from "../../api/types.ts";
import { formatDate, formatInZone } from "../../lib/format.ts";
import { useDebounced } from "../../lib/use-debounced.ts";

/** The next occurrences of the timing being typed, asked of the server 250 ms after typing stops. */
export function SchedulePreview({ timing, ready }: { timing: ScheduleFields; ready: boolean }) {
  const settled = useDebounced(JSON.stringify(timing), 250);
  const preview = useQuery({
    queryKey: ["schedule-preview", settled],
    queryFn: () =>
      api.post<Preview>("/api/schedules/preview", {
        ...JSON.parse(settled),
        count: 5,
      }),
    // Only once typing settled: the timing of before the last keystroke would answer a stale error.
    enabled: ready && settled === JSON.stringify(timing),
    retry: false,
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
  if (!ready) return <p className="muted">Enter a rhythm to see when it fires.</p>;
  if (preview.error) {
    return (
      <p className="notice notice-error" data-testid="schedule-preview-error">
        {preview.error.message}
      </p>
    );
  }
  const zone = preview.data?.zone ?? "";
  return (
    <div className="preview" data-testid="schedule-preview-box">
      <div className="muted small">Next occurrences {zone && `(${zone})`}</div>
      <ol className="preview-list" data-testid="schedule-preview">
        {preview.data?.next.map((iso) => (
          <li key={iso} data-testid="preview-item" data-iso={iso}>
            <strong>{formatInZone(iso, zone)}</strong>{" "}
            <span className="muted">· {formatDate(iso)} your time</span>
          </li>
        ))}
        {preview.data?.next.length === 0 && <li className="muted">Never fires.</li>}
      </ol>
    </div>
  );
}
