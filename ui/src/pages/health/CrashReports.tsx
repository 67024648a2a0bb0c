import { useState } from "react";
import { Link } from "react-router";
import type { CrashSummary } from "../../api/types.ts";
import { Empty, ErrorMessage, Loading } from "../../components/Feedback.tsx";
import { formatDate } from "../../lib/format.ts";
import { useCrashes, useCrashReport } from "../logs/use-process-logs.ts";

/**
 * The newest crash reports of this data directory's trawl processes (docs/logs.md): when, which
 * process, what was thrown, the runs it was executing (resumable); "Show" opens the stack and the
 * last log lines before it.
 */
export function CrashReports() {
  const crashes = useCrashes();
  const [open, setOpen] = useState<string | null>(null);
  if (crashes.isPending) return <Loading />;
  if (crashes.error) return <ErrorMessage error={crashes.error} />;
  const list = crashes.data.crashes;
  if (list.length === 0) return <Empty>No crash reports.</Empty>;
  return (
    <div className="card" data-testid="health-crashes" data-count={list.length}>
      {list.map((crash) => (
        <div key={crash.id} className="crash" data-testid="crash-report" data-id={crash.id}>
          <CrashLine crash={crash} />
          <button
            type="button"
            className="button small"
            aria-expanded={open === crash.id}
            onClick={() => setOpen(open === crash.id ? null : crash.id)}
            data-testid="crash-toggle"
          >
            {open === crash.id ? "Hide" : "Show"}
          </button>
          {open === crash.id && <CrashDetails id={crash.id} />}
        </div>
      ))}
    </div>
  );
}

function CrashLine({ crash }: { crash: CrashSummary }) {
  return (
    <p>
      <strong>{formatDate(crash.at)}</strong> · trawl {crash.process} (pid {crash.pid}) ·{" "}
      {crash.kind === "unhandledRejection" ? "unhandled rejection" : "uncaught exception"}
      {crash.exited ? ", exited" : ", kept serving"}: <span className="mono">{crash.message}</span>
      {crash.runIds.map((id) => (
        <Link key={id} to={`/runs/${id}`} className="mono chip">
          {id}
        </Link>
      ))}
    </p>
  );
}

function CrashDetails({ id }: { id: string }) {
  const report = useCrashReport(id);
  if (report.isPending) return <Loading />;
  if (report.error) return <ErrorMessage error={report.error} />;
  const r = report.data;
  return (
    <div data-testid="crash-details">
      <p className="muted">
        trawl {r.version} · node {r.node} · {r.platform} ·{" "}
        <span className="mono">trawl {r.command.join(" ")}</span>
      </p>
      <pre className="code" data-testid="crash-stack">
        {r.error.stack}
      </pre>
      <details>
        <summary>The last {r.logLines.length} log lines</summary>
        <pre className="code">{r.logLines.join("\n")}</pre>
      </details>
    </div>
  );
}
