import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.ts";
import { keys } from "../api/queries.ts";
import type { SessionSummary } from "../api/types.ts";
import { ErrorMessage } from "./Feedback.tsx";

/** A scraper's kept browser session, and the button that forgets it (its next run logs in afresh). */
export function SessionCell({ scraper, session }: { scraper: string; session: SessionSummary | undefined }) {
  const client = useQueryClient();
  const clear = useMutation({
    mutationFn: () => api.delete(`/api/sessions/${encodeURIComponent(scraper)}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.sessions }),
  });
  if (!session) return <span className="muted">—</span>;
  return (
    <span
      data-testid="scraper-session"
      title={`sites: ${session.domains.join(", ")}; saved ${session.savedAt}`}
    >
      {session.cookies} cookie{session.cookies === 1 ? "" : "s"}{" "}
      <button
        type="button"
        className="button small"
        disabled={clear.isPending}
        onClick={() => clear.mutate()}
        data-testid="session-clear"
      >
        Clear
      </button>
      {clear.error && <ErrorMessage error={clear.error} />}
    </span>
  );
}
