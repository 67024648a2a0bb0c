import { useState } from "react";
import { csrfToken, noteRefused } from "../api/access.ts";
import { ApiError } from "../api/client.ts";
import { ErrorMessage } from "./Feedback.tsx";

/** The file name the server gives (`attachment; filename="…"`), else a plain one. */
function fileNameOf(response: Response): string {
  const disposition = response.headers.get("content-disposition") ?? "";
  return /filename="([^"]+)"/.exec(disposition)?.[1] ?? "trawl-diagnostics.zip";
}

/** Asks for the bundle (POST /api/diagnostics) and hands the zip to the browser as a download. */
async function downloadBundle(): Promise<string> {
  // A state change (the export is audited): with a PIN it carries the session's CSRF token.
  const headers: Record<string, string> = { "x-trawl-activity": "user" };
  const csrf = csrfToken();
  if (csrf) headers["x-trawl-csrf"] = csrf;
  const response = await fetch("/api/diagnostics", { method: "POST", headers }).catch(() => {
    throw new ApiError(0, "The trawl server cannot be reached. Is `trawl serve` running?");
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => undefined)) as
      { message?: string; code?: string } | undefined;
    if (response.status === 401) noteRefused(error?.code);
    throw new ApiError(
      response.status,
      error?.message ?? `${response.status} ${response.statusText}`,
      error?.code,
    );
  }
  const name = fileNameOf(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file over.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/**
 * "Download diagnostics": the bundle to attach to a bug report (docs/diagnostics.md), a zip with
 * secrets removed, made by the server as the user waits (about a second).
 */
export function DiagnosticsButton() {
  const [state, setState] = useState<{ busy: boolean; saved?: string; error?: unknown }>({ busy: false });
  const start = () => {
    setState({ busy: true });
    downloadBundle().then(
      (saved) => setState({ busy: false, saved }),
      (error: unknown) => setState({ busy: false, error }),
    );
  };
  return (
    <div className="actions" data-testid="diagnostics">
      <button
        type="button"
        className="button small"
        onClick={start}
        disabled={state.busy}
        title="A zip of the system, configuration, logs, database checks, runs and crash reports, with secrets removed: attach it to a bug report"
        data-testid="diagnostics-download"
      >
        {state.busy ? "Preparing diagnostics…" : "Download diagnostics"}
      </button>
      {state.saved && (
        <span className="muted small" role="status" data-testid="diagnostics-saved">
          Saved {state.saved}
        </span>
      )}
      {state.error !== undefined && <ErrorMessage error={state.error} title="Diagnostics" />}
    </div>
  );
}
