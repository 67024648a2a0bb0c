import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import type { ProcessLogEntry, ProcessLogLevel } from "../api/types.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { formatDate } from "../lib/format.ts";
import { usePageTitle } from "../lib/use-page-title.ts";
import { useProcessLogs, type ProcessLogFilters } from "./logs/use-process-logs.ts";

const LEVELS: ProcessLogLevel[] = ["debug", "info", "warn", "error", "fatal"];
/** The components trawl's processes log as (docs/logs.md); others can be typed. */
const COMPONENTS = ["server", "scheduler", "engine", "run", "cli", "crash"];

/** The filters a URL holds (`/logs?level=warn&run=RUN-…`), so a view can be linked to. */
function filtersOf(params: URLSearchParams): ProcessLogFilters {
  const level = params.get("level") ?? "";
  return {
    level: (LEVELS as string[]).includes(level) ? (level as ProcessLogLevel) : "",
    component: params.get("component") ?? "",
    run: params.get("run") ?? "",
    q: params.get("q") ?? "",
  };
}

/**
 * The process logs of every trawl process of this data directory (docs/logs.md): the newest 500
 * lines matching a level, a component, a run and a text, oldest first; "Follow" re-reads them
 * every 2 s and keeps the newest in view.
 */
export function LogsPage() {
  usePageTitle("Logs");
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const [follow, setFollow] = useState(false);
  const logs = useProcessLogs(filters, follow);
  const apply = (next: ProcessLogFilters) =>
    setParams(Object.fromEntries(Object.entries(next).filter(([, value]) => value !== "")), {
      replace: true,
    });
  return (
    <section className="page">
      <header className="page-header">
        <h1>Logs</h1>
        <span className="muted">every trawl process of this data directory</span>
        <span className="spacer" />
        <button
          type="button"
          className="button"
          aria-pressed={follow}
          onClick={() => setFollow((on) => !on)}
          data-testid="logs-follow"
        >
          {follow ? "Following" : "Follow"}
        </button>
      </header>
      {/* Keyed by the URL: a link or the back button changing it resets the form to it. */}
      <LogFilters key={params.toString()} filters={filters} apply={apply} />
      {logs.error && <ErrorMessage error={logs.error} />}
      {logs.isPending && <Loading />}
      {logs.data && logs.data.lines.length === 0 && <Empty>No log lines match these filters.</Empty>}
      {logs.data && logs.data.lines.length > 0 && <LogLines lines={logs.data.lines} follow={follow} />}
      {logs.data?.truncated && (
        <p className="muted" data-testid="logs-truncated">
          The search stopped after {logs.data.scanned.toLocaleString("en")} lines: older matches may exist.
        </p>
      )}
    </section>
  );
}

/** Level applies at once; component, run and text when the form is submitted (Enter or Apply). */
function LogFilters({
  filters,
  apply,
}: {
  filters: ProcessLogFilters;
  apply: (next: ProcessLogFilters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(draft);
  };
  const text = (key: "component" | "run" | "q", label: string, extra: Record<string, string> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input
        value={draft[key]}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        data-testid={`logs-${key}`}
        {...extra}
      />
    </label>
  );
  return (
    <form className="filters" onSubmit={submit} data-testid="logs-filters">
      <label className="field">
        <span>Level</span>
        <select
          value={draft.level}
          onChange={(e) => apply({ ...draft, level: e.target.value as ProcessLogLevel | "" })}
          data-testid="logs-level"
        >
          <option value="">any</option>
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {level} and above
            </option>
          ))}
        </select>
      </label>
      {text("component", "Component", { list: "log-components", placeholder: "any" })}
      <datalist id="log-components">
        {COMPONENTS.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {text("run", "Run", { placeholder: "RUN-…" })}
      {text("q", "Search", { type: "search", placeholder: "text in the message" })}
      <button type="submit" className="button" data-testid="logs-apply">
        Apply
      </button>
    </form>
  );
}

/** The lines, oldest first; while following, scrolled to the newest whenever they change. */
function LogLines({ lines, follow }: { lines: ProcessLogEntry[]; follow: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);
  return (
    <div className="log process-log" ref={box} data-testid="logs-lines" data-count={lines.length}>
      {lines.map((line, i) => (
        <div
          key={`${line.at}-${line.pid}-${i}`}
          className={`log-line level-${line.level === "fatal" ? "error" : line.level}`}
          data-testid="logs-line"
          data-level={line.level}
          data-component={line.component}
        >
          <span className="log-time">{formatDate(line.at)}</span>
          <span className="log-level">{line.level}</span>
          <span className="muted">
            {line.process}/{line.component}
          </span>
          {line.runId && (
            <Link to={`/runs/${line.runId}`} className="mono">
              {line.runId}
            </Link>
          )}
          <span>
            {line.message}
            {line.details && <span className="muted mono"> {line.details}</span>}
          </span>
        </div>
      ))}
    </div>
  );
}
