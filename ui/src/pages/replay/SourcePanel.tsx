import type { CaptureSource } from "../../api/types.ts";

const MATCHES: Record<CaptureSource["match"], string> = {
  request: "by the request that produced it",
  url: "by the URL it holds",
  "final-url": "by the final URL it holds",
  content: "by its values, found in the page",
};

/** Where a record came from and the colours of its fields in the highlighted page. */
export function SourcePanel({
  source,
  record,
  highlight,
  onHighlight,
  onShow,
}: {
  source: CaptureSource;
  record: number | null;
  highlight: boolean;
  onHighlight(on: boolean): void;
  onShow(): void;
}) {
  return (
    <div className="card source-panel" data-testid="replay-source" data-capture-id={source.capture.id}>
      <div className="toolbar">
        <strong>{record !== null ? `Record ${record + 1}` : "Page"}</strong>
        <span>
          came from{" "}
          <button type="button" className="link mono" onClick={onShow} data-testid="replay-source-page">
            {source.url}
          </button>
        </span>
        {record !== null && <span className="muted small">(matched {MATCHES[source.match]})</span>}
        <span className="spacer" />
        {source.highlightUrl && (
          <label className="check">
            <input
              type="checkbox"
              checked={highlight}
              onChange={(e) => onHighlight(e.target.checked)}
              data-testid="replay-highlight"
            />
            Outline the fields
          </label>
        )}
      </div>
      {source.pageType ? (
        <ul className="chips">
          <li className="chip muted">page type {source.pageType}</li>
          {source.each && <li className="chip mono legend-each">each: {source.each}</li>}
          {source.fields.map((field) => (
            <li key={field.name} className="chip" data-testid="source-field" data-field={field.name}>
              <span className="swatch" style={{ borderColor: field.color, background: `${field.color}22` }} />
              {field.name} <span className="mono muted">{field.selector}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">
          The selectors are unknown: the run's definition file cannot be read, or it reads no fields with CSS.
        </p>
      )}
      {source.definitionChanged && (
        <p className="notice notice-warn small">
          The definition changed since this run: the outlines follow the current selectors.
        </p>
      )}
    </div>
  );
}
