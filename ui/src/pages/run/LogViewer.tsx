import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { LogLevelChips, type LogFilter } from "./LogLevelChips.tsx";
import { useLogCounts } from "./use-log-counts.ts";
import { useLogLines } from "./use-log-lines.ts";

/** Rendering more lines than this makes the page sluggish; the search narrows them down. */
const MAX_SHOWN = 2000;

/**
 * A run's log: stored lines of the chosen levels (read on the server, paged forward), then live
 * lines from `log.written`; chips with the counts per level pick the levels.
 */
export function LogViewer({ runId }: { runId: string }) {
  const [filter, setFilter] = useState<LogFilter>("all");
  const [search, setSearch] = useState("");
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const counts = useLogCounts(runId);

  const { stored, lines } = useLogLines(runId, filter, search);

  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  const shown = lines.slice(-MAX_SHOWN);
  return (
    <>
      <h2>Log</h2>
      <p className="muted">
        <Link to={`/logs?run=${encodeURIComponent(runId)}`} data-testid="run-process-log">
          This run in the process log →
        </Link>
      </p>
      <LogLevelChips counts={counts} value={filter} onChange={setFilter} />
      <LogToolbar
        search={search}
        onSearch={setSearch}
        follow={follow}
        onFollow={setFollow}
        total={lines.length}
        shown={shown.length}
      />
      {stored.error && <ErrorMessage error={stored.error} />}
      <div
        className="log"
        ref={box}
        data-testid="log-viewer"
        data-filter={filter}
        onWheel={(e) => e.deltaY < 0 && follow && setFollow(false)}
      >
        {shown.map((line, index) => (
          <div
            key={index}
            className={`log-line level-${line.level}`}
            data-testid="log-line"
            data-level={line.level}
          >
            <span className="log-time">{new Date(line.at).toLocaleTimeString()}</span>
            <span className="log-level">{line.level}</span>
            <span className="log-message">{line.message}</span>
          </div>
        ))}
        {shown.length === 0 && !stored.isPending && (
          <div className="muted">No log lines{search || filter !== "all" ? " match" : ""}.</div>
        )}
      </div>
      {stored.hasNextPage && (
        <button
          type="button"
          className="button"
          onClick={() => void stored.fetchNextPage()}
          data-testid="log-more"
        >
          Load more lines
        </button>
      )}
    </>
  );
}

/** The log's search box, its Follow switch, and how many lines are shown of how many. */
function LogToolbar(props: {
  search: string;
  onSearch(search: string): void;
  follow: boolean;
  onFollow(follow: boolean): void;
  /** Lines matching. */
  total: number;
  /** Of those, the lines shown (the last ones). */
  shown: number;
}) {
  const { search, onSearch, follow, onFollow, total, shown } = props;
  return (
    <div className="toolbar">
      <input
        type="search"
        placeholder="Search the log"
        aria-label="Search the log"
        value={search}
        onChange={(e) => onSearch(e.target.value)}
        data-testid="log-search"
      />
      <label className="check">
        <input
          type="checkbox"
          checked={follow}
          onChange={(e) => onFollow(e.target.checked)}
          data-testid="log-follow"
        />
        Follow
      </label>
      <span className="muted">{total > shown ? `last ${shown} of ${total} lines` : `${total} lines`}</span>
    </div>
  );
}
