import { useEffect, useRef } from "react";
import type { ActionDetail, Capture, PageDetail, ResponseDetail, ScreenshotDetail } from "../../api/types.ts";

/** Time since the first capture: `+0.000 s`, `+12.3 s`, `+2m 05s`. */
export function formatOffset(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "+0.000 s";
  if (ms < 10_000) return `+${(ms / 1000).toFixed(3)} s`;
  if (ms < 60_000) return `+${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `+${minutes}m ${String(Math.floor((ms % 60_000) / 1000)).padStart(2, "0")}s`;
}

/** One line about a capture: what happened and whether it went wrong. */
export function describeCapture(capture: Capture): { text: string; bad: boolean } {
  switch (capture.kind) {
    case "page": {
      const d = capture.detail as PageDetail;
      if (d.error) return { text: `${d.error.reason} ${capture.url ?? ""}`, bad: true };
      return { text: `${d.status ?? ""} ${capture.url ?? ""}`, bad: (d.status ?? 200) >= 400 };
    }
    case "response": {
      const d = capture.detail as ResponseDetail;
      return {
        text: `${d.method ?? "GET"} ${d.status ?? ""} ${capture.url ?? ""}`,
        bad: (d.status ?? 200) >= 400,
      };
    }
    case "action": {
      const d = capture.detail as ActionDetail;
      return { text: d.error ? `${d.action ?? ""} — ${d.error}` : (d.action ?? ""), bad: Boolean(d.error) };
    }
    case "screenshot": {
      const d = capture.detail as ScreenshotDetail;
      return {
        text: `${d.reason === "failed" ? "failed page" : "page"} ${capture.url ?? ""}`,
        bad: d.reason === "failed",
      };
    }
  }
}

/** The captures in order, with their time offsets; a click selects one, the dot toggles a breakpoint. */
export function Timeline({
  items,
  index,
  breakpoints,
  onSelect,
  onToggleBreakpoint,
}: {
  items: Capture[];
  index: number;
  breakpoints: ReadonlySet<number>;
  onSelect(index: number): void;
  onToggleBreakpoint(captureId: number): void;
}) {
  const list = useRef<HTMLOListElement>(null);
  const start = items.length > 0 ? Date.parse(items[0]!.at) : 0;

  useEffect(() => {
    const selected = list.current?.querySelector<HTMLElement>('[data-selected="true"]');
    selected?.scrollIntoView?.({ block: "nearest" });
  }, [index]);

  return (
    <ol className="timeline" ref={list} data-testid="replay-timeline">
      {items.map((capture, i) => {
        const { text, bad } = describeCapture(capture);
        const breakpoint = breakpoints.has(capture.id);
        return (
          <li
            key={capture.id}
            className={`timeline-item${i === index ? " selected" : ""}`}
            data-testid="timeline-item"
            data-kind={capture.kind}
            data-capture-id={capture.id}
            data-selected={i === index}
            data-breakpoint={breakpoint}
          >
            <button
              type="button"
              className={`breakpoint${breakpoint ? " on" : ""}`}
              aria-pressed={breakpoint}
              title={breakpoint ? "Remove the breakpoint" : "Stop here when playing"}
              onClick={() => onToggleBreakpoint(capture.id)}
              data-testid="timeline-breakpoint"
            />
            <button type="button" className="timeline-select" onClick={() => onSelect(i)}>
              <span className="timeline-offset mono">{formatOffset(Date.parse(capture.at) - start)}</span>
              <span className={`kind kind-${capture.kind}`}>{capture.kind}</span>
              <span className={`timeline-text${bad ? " text-bad" : ""}`}>{text}</span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
