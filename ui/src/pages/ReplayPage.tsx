import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useCaptures, useCaptureSource, useRun } from "../api/queries.ts";
import { CAPTURE_KINDS, type Capture, type CaptureSource } from "../api/types.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { formatNumber } from "../lib/format.ts";
import { CapturePreview } from "./replay/CapturePreview.tsx";
import { PlayerControls } from "./replay/PlayerControls.tsx";
import { SourcePanel } from "./replay/SourcePanel.tsx";
import { Timeline } from "./replay/Timeline.tsx";
import { useReplaySelection } from "./replay/use-replay-selection.ts";
import { usePageTitle } from "../lib/use-page-title.ts";

/**
 * `/runs/:id/replay`: what a run fetched and did, step by step. `?capture=ID` opens on a capture;
 * `?record=N` (or `?url=`) on the page a record came from, its fields outlined.
 */
export function ReplayPage() {
  const id = useParams().id ?? "";
  usePageTitle(`Replay ${id}`);
  const [params] = useSearchParams();
  const recordParam = params.get("record");
  const record = recordParam !== null && /^\d+$/.test(recordParam) ? Number(recordParam) : null;
  const url = params.get("url");
  const run = useRun(id);
  const captures = useCaptures(id);
  const source = useCaptureSource(id, record, url);

  return (
    <section className="page replay" data-testid="replay-viewer" data-run-id={id}>
      <header className="page-header">
        <h1>Replay</h1>
        <Link className="mono" to={`/runs/${id}`}>
          {id}
        </Link>
        {run.data && <StatusBadge status={run.data.status} />}
        {run.data && <span className="muted">{run.data.scraper}</span>}
        {run.data?.recorded && (
          <span className="replay-downloads">
            Download{" "}
            <a
              href={`/api/runs/${encodeURIComponent(id)}/recording.warc`}
              download
              data-testid="download-warc"
            >
              WARC
            </a>{" "}
            ·{" "}
            <a href={`/api/runs/${encodeURIComponent(id)}/recording.har`} download data-testid="download-har">
              HAR
            </a>
          </span>
        )}
      </header>
      {source.error && <ErrorMessage error={source.error} title="Where the record came from" />}
      {captures.isPending ? (
        <Loading what="Loading the captures" />
      ) : captures.error ? (
        <ErrorMessage error={captures.error} title={`Captures of ${id}`} />
      ) : captures.data.captures.length === 0 ? (
        <Empty>
          This run captured nothing. Record a run with <code>trawl run --record</code> (or{" "}
          <code>record: true</code> in the definition) to replay it.
        </Empty>
      ) : (
        <ReplayViewer
          captures={captures.data.captures}
          truncated={captures.data.truncated}
          initialCapture={Number(params.get("capture")) || null}
          source={source.data}
          record={record}
        />
      )}
    </section>
  );
}

/** The replay of a run's captures: the player, the kinds shown, the timeline and the preview. */
function ReplayViewer({
  captures,
  truncated,
  initialCapture,
  source,
  record,
}: {
  captures: Capture[];
  truncated: boolean;
  initialCapture: number | null;
  source: CaptureSource | undefined;
  record: number | null;
}) {
  const [highlight, setHighlight] = useState(true);
  const { kinds, items, player, selected, show, toggleKind, counts } = useReplaySelection(
    captures,
    initialCapture,
    source,
  );

  return (
    <>
      {source && (
        <SourcePanel
          source={source}
          record={record}
          highlight={highlight}
          onHighlight={setHighlight}
          onShow={() => show(source.capture.id)}
        />
      )}
      <PlayerControls player={player} count={items.length} />
      <div className="toolbar">
        {CAPTURE_KINDS.filter((kind) => counts[kind] > 0).map((kind) => (
          <label key={kind} className="check">
            <input
              type="checkbox"
              checked={kinds.has(kind)}
              onChange={() => toggleKind(kind)}
              data-testid="replay-kind"
              data-kind={kind}
            />
            <span className={`kind kind-${kind}`}>{kind}</span> {formatNumber(counts[kind])}
          </label>
        ))}
        {truncated && <span className="notice notice-warn small">Only the first captures are shown.</span>}
      </div>
      <div className="replay-grid">
        <Timeline
          items={items}
          index={player.index}
          breakpoints={player.breakpoints}
          onSelect={player.select}
          onToggleBreakpoint={player.toggleBreakpoint}
        />
        <CapturePreview
          capture={selected}
          frameUrl={
            source && highlight && selected?.id === source.capture.id ? source.highlightUrl : undefined
          }
        />
      </div>
    </>
  );
}
