import { useEffect, useState } from "react";
import { Link } from "react-router";
import { GALLERY_KINDS, useCaptures } from "../../api/queries.ts";
import type { ActionDetail, Capture, ScreenshotDetail } from "../../api/types.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";

/** What a screenshot shows: why it was taken, or the action it followed. */
export function screenshotCaption(capture: Capture): { title: string; problem: string | null } {
  if (capture.kind === "action") {
    const detail = capture.detail as ActionDetail;
    return { title: `after ${detail.action ?? "an action"}`, problem: detail.error ?? null };
  }
  const detail = capture.detail as ScreenshotDetail;
  return {
    title: detail.reason === "failed" ? "page failed" : "page",
    problem: detail.error ?? null,
  };
}

/**
 * Screenshots of a run (of failed browser pages, of every page when asked, after each recorded
 * action) as thumbnails; one click enlarges. Nothing at all when the run has none.
 */
export function ScreenshotGallery({ runId }: { runId: string }) {
  const { data, error } = useCaptures(runId, GALLERY_KINDS);
  const [enlarged, setEnlarged] = useState<Capture | null>(null);
  const shots = (data?.captures ?? []).filter((capture) => capture.bodyUrl !== null);
  if (error) return <ErrorMessage error={error} title="Screenshots" />;
  if (shots.length === 0) return null;
  return (
    <>
      <h2>Screenshots</h2>
      <ul className="gallery" data-testid="screenshot-gallery">
        {shots.map((shot) => {
          const { title, problem } = screenshotCaption(shot);
          return (
            <li
              key={shot.id}
              className="gallery-item"
              data-testid="screenshot"
              data-kind={shot.kind}
              data-capture-id={shot.id}
            >
              <button type="button" className="thumb" onClick={() => setEnlarged(shot)} title="Enlarge">
                <img src={shot.bodyUrl!} alt={`Screenshot of ${shot.url ?? "a page"}`} loading="lazy" />
              </button>
              <div className="gallery-caption">
                <div className="mono small wrap" data-testid="screenshot-url">
                  {shot.url ?? "—"}
                </div>
                <div className={problem || title === "page failed" ? "text-bad small" : "muted small"}>
                  <span data-testid="screenshot-reason">{title}</span>
                  {problem && `: ${problem}`}
                </div>
                <Link className="small" to={`/runs/${runId}/replay?capture=${shot.id}`}>
                  in the replay
                </Link>
              </div>
            </li>
          );
        })}
      </ul>
      {enlarged && <Lightbox shot={enlarged} onClose={() => setEnlarged(null)} />}
    </>
  );
}

function Lightbox({ shot, onClose }: { shot: Capture; onClose: () => void }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const { title, problem } = screenshotCaption(shot);
  return (
    <div
      className="lightbox"
      role="dialog"
      aria-modal="true"
      onClick={onClose}
      data-testid="screenshot-enlarged"
    >
      <figure onClick={(event) => event.stopPropagation()}>
        <img src={shot.bodyUrl!} alt={`Screenshot of ${shot.url ?? "a page"}`} />
        <figcaption>
          <span className="mono">{shot.url}</span> — {title}
          {problem && `: ${problem}`}
          <button type="button" className="button" onClick={onClose} data-testid="screenshot-close">
            Close
          </button>
        </figcaption>
      </figure>
    </div>
  );
}
