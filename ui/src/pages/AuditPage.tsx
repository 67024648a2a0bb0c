import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../api/client.ts";
import { useAuditLog, type AuditFilters } from "../api/queries.ts";
import { AUDIT_ACTIONS, type AuditEntry, type AuditVerification } from "../api/types.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { formatDate } from "../lib/format.ts";
import { usePageTitle } from "../lib/use-page-title.ts";

/** The "since" choices, in milliseconds back from now ("" is any time). */
const SINCE = [
  { value: "", label: "any time" },
  { value: String(3_600_000), label: "last hour" },
  { value: String(86_400_000), label: "last 24 hours" },
  { value: String(7 * 86_400_000), label: "last 7 days" },
];

/**
 * The audit log (docs/security.md): who did what, newest first, filtered by action and time, with
 * a button that checks the hash chain and the head file and says what it found.
 */
export function AuditPage() {
  usePageTitle("Audit");
  const [action, setAction] = useState("");
  const [sinceMs, setSinceMs] = useState("");
  const [filters, setFilters] = useState<AuditFilters>({});
  const apply = (nextAction: string, nextSince: string) => {
    setAction(nextAction);
    setSinceMs(nextSince);
    setFilters({
      ...(nextAction && { action: nextAction }),
      ...(nextSince && { since: new Date(Date.now() - Number(nextSince)).toISOString() }),
    });
  };
  const log = useAuditLog(filters);
  const entries = log.data?.pages.flatMap((page) => [...page.entries].reverse()) ?? [];
  return (
    <section className="page">
      <header className="page-header">
        <h1>Audit</h1>
        <span className="spacer" />
        <VerifyButton />
      </header>
      <div className="filters" data-testid="audit-filters">
        <label className="field">
          <span>Action</span>
          <select value={action} onChange={(e) => apply(e.target.value, sinceMs)} data-testid="audit-action">
            <option value="">any</option>
            {AUDIT_ACTIONS.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Since</span>
          <select value={sinceMs} onChange={(e) => apply(action, e.target.value)} data-testid="audit-since">
            {SINCE.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        {log.data && <span data-testid="audit-total">{log.data.pages[0]!.total} entries</span>}
      </div>
      {log.error && <ErrorMessage error={log.error} />}
      {log.isPending && <Loading />}
      {log.data && entries.length === 0 && <Empty>No audit entries match these filters.</Empty>}
      {entries.length > 0 && <AuditTable entries={entries} />}
      {log.hasNextPage && (
        <button
          type="button"
          className="button load-more"
          onClick={() => void log.fetchNextPage()}
          disabled={log.isFetchingNextPage}
          data-testid="audit-load-more"
        >
          {log.isFetchingNextPage ? "Loading…" : "Load older"}
        </button>
      )}
    </section>
  );
}

/** Entries as rows: sequence number, local time, actor (and session), action, subject, details. */
function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <table className="table" data-testid="audit-table">
      <thead>
        <tr>
          <th>#</th>
          <th>Time</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Subject</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.seq} data-testid="audit-row" data-action={entry.action}>
            <td>{entry.seq}</td>
            <td>{formatDate(entry.at)}</td>
            <td>{entry.actorName ? `${entry.actor} (${entry.actorName})` : entry.actor}</td>
            <td>{entry.action}</td>
            <td>
              <SubjectLink subject={entry.subject} />
            </td>
            <td className="mono">
              {Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details) : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A run or schedule id as a link to its page (it may be gone since); anything else as text. */
function SubjectLink({ subject }: { subject: string | null }) {
  if (subject?.startsWith("RUN-")) return <Link to={`/runs/${subject}`}>{subject}</Link>;
  if (subject?.startsWith("SCH-")) return <Link to={`/schedules/${subject}`}>{subject}</Link>;
  return <>{subject ?? "–"}</>;
}

/** Checks the chain (POST /api/audit/verify) and shows the finding beside the button. */
function VerifyButton() {
  const verify = useMutation({ mutationFn: () => api.post<AuditVerification>("/api/audit/verify") });
  const result = verify.data;
  return (
    <>
      {result && (
        <span
          className={result.intact ? "notice" : "notice notice-error"}
          role="status"
          data-testid="audit-verify-result"
          data-intact={String(result.intact)}
        >
          {result.intact
            ? `Intact: ${result.entries} entries, head ${result.head.seq} ${result.head.hash.slice(0, 12)}…`
            : `Broken at entry ${result.problem!.seq}: ${result.problem!.message}`}
        </span>
      )}
      {verify.error && <ErrorMessage error={verify.error} />}
      <button
        type="button"
        className="button"
        onClick={() => verify.mutate()}
        disabled={verify.isPending}
        data-testid="audit-verify"
      >
        {verify.isPending ? "Verifying…" : "Verify"}
      </button>
    </>
  );
}
