import type { ReactNode } from "react";
import type { ActionDetail, Capture, PageDetail, ResponseDetail, ScreenshotDetail } from "../../api/types.ts";
import { Empty } from "../../components/Feedback.tsx";
import { formatBytes, formatDate, formatDuration } from "../../lib/format.ts";

/**
 * The selected capture: a page's HTML in a sandboxed frame (no scripts: the server's CSP says so
 * too), an image, or a response's status and headers with its body.
 * `frameUrl` replaces a page's body URL (its highlighted variant).
 */
export function CapturePreview({
  capture,
  frameUrl,
}: {
  capture: Capture | undefined;
  frameUrl?: string | null;
}) {
  if (!capture) return <Empty>Nothing recorded to show.</Empty>;
  return (
    <div
      className="preview-pane"
      data-testid="replay-preview"
      data-kind={capture.kind}
      data-capture-id={capture.id}
    >
      <div className="preview-head">
        <span className={`kind kind-${capture.kind}`}>{capture.kind}</span>
        <span className="mono wrap">{capture.url ?? "—"}</span>
        <span className="spacer" />
        <span className="muted small">{formatDate(capture.at)}</span>
        {capture.bodyUrl && (
          <a className="small" href={capture.bodyUrl} target="_blank" rel="noreferrer">
            open body ({formatBytes(capture.size)})
          </a>
        )}
      </div>
      {capture.kind === "page" && <PagePreview capture={capture} frameUrl={frameUrl ?? capture.bodyUrl} />}
      {capture.kind === "response" && <ResponsePreview capture={capture} />}
      {capture.kind === "action" && <ActionPreview capture={capture} />}
      {capture.kind === "screenshot" && <ScreenshotPreview capture={capture} />}
    </div>
  );
}

function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts" data-testid="replay-facts">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value ?? "—"}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The recorded HTML; `sandbox=""` without allow-scripts or allow-same-origin. A new frame per
 * `src` (its key): a frame whose `src` changed while its last page was still loading could keep
 * showing that page.
 */
function Frame({ src, title }: { src: string; title: string }) {
  return (
    <iframe
      key={src}
      className="preview-frame"
      sandbox=""
      src={src}
      title={title}
      data-testid="replay-frame"
    />
  );
}

function PagePreview({ capture, frameUrl }: { capture: Capture; frameUrl: string | null }) {
  const d = capture.detail as PageDetail;
  return (
    <>
      <Facts
        items={[
          ["Status", d.status],
          ["Engine", d.engine],
          [
            "Final URL",
            d.finalUrl && d.finalUrl !== capture.url ? <span className="mono">{d.finalUrl}</span> : "same",
          ],
        ]}
      />
      {d.error && (
        <p className="notice notice-error" data-testid="replay-error">
          {d.error.reason}: {d.error.message}
        </p>
      )}
      {frameUrl ? (
        <Frame src={frameUrl} title={`Recorded page ${capture.url ?? ""}`} />
      ) : (
        <Empty>No body was kept.</Empty>
      )}
      {d.headers && <Headers title="Response headers" headers={d.headers} />}
    </>
  );
}

function ResponsePreview({ capture }: { capture: Capture }) {
  const d = capture.detail as ResponseDetail;
  const type = d.headers?.["content-type"] ?? "";
  return (
    <>
      <Facts
        items={[
          ["Status", <span data-testid="replay-status">{`${d.status ?? ""} ${d.statusText ?? ""}`}</span>],
          ["Method", d.method],
          ["Type", d.resourceType],
          ["Took", formatDuration(d.durationMs)],
          ["Page", d.pageUrl && <span className="mono">{d.pageUrl}</span>],
        ]}
      />
      {capture.bodyUrl &&
        (type.startsWith("image/") ? (
          <img
            className="preview-image"
            src={capture.bodyUrl}
            alt={capture.url ?? ""}
            data-testid="replay-image"
          />
        ) : /^(text\/|application\/(json|xml|javascript|[\w.+-]+\+(json|xml)))/.test(type) ? (
          <Frame src={capture.bodyUrl} title={`Recorded response ${capture.url ?? ""}`} />
        ) : null)}
      <Headers title="Response headers" headers={d.headers ?? {}} />
      <Headers title="Request headers" headers={d.requestHeaders ?? {}} />
    </>
  );
}

function ActionPreview({ capture }: { capture: Capture }) {
  const d = capture.detail as ActionDetail;
  return (
    <>
      <Facts
        items={[
          ["Action", <span className="mono">{d.action}</span>],
          ["Took", formatDuration(d.durationMs)],
        ]}
      />
      {d.error && (
        <p className="notice notice-error" data-testid="replay-error">
          {d.error}
        </p>
      )}
      {capture.bodyUrl ? (
        <img
          className="preview-image"
          src={capture.bodyUrl}
          alt={`After ${d.action ?? "the action"}`}
          data-testid="replay-image"
        />
      ) : (
        <Empty>No screenshot (the run was not recorded).</Empty>
      )}
    </>
  );
}

function ScreenshotPreview({ capture }: { capture: Capture }) {
  const d = capture.detail as ScreenshotDetail;
  return (
    <>
      <Facts items={[["Reason", d.reason === "failed" ? "the page failed" : "every page"]]} />
      {d.error && (
        <p className="notice notice-error" data-testid="replay-error">
          {d.error}
        </p>
      )}
      {capture.bodyUrl && (
        <img
          className="preview-image"
          src={capture.bodyUrl}
          alt={`Screenshot of ${capture.url ?? ""}`}
          data-testid="replay-image"
        />
      )}
    </>
  );
}

function Headers({ title, headers }: { title: string; headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  return (
    <details open={title === "Response headers"}>
      <summary>
        {title} ({entries.length})
      </summary>
      <table className="table compact" data-testid="replay-headers">
        <tbody>
          {entries.map(([name, value]) => (
            <tr key={name}>
              <th className="mono">{name}</th>
              <td className="mono wrap">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
