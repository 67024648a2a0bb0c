import { Link } from "react-router";
import { useChanges } from "../../api/queries.ts";
import { Empty, Loading } from "../../components/Feedback.tsx";
import { DiffWarnings, RecordDiff } from "../../components/RecordDiff.tsx";
import { messageOf } from "../../api/client.ts";

/**
 * What changed in the records since the previous succeeded run of the same scraper. A run whose
 * records are not its final output (failed, cancelled, stopped…) shows why, never a diff.
 */
export function RunChanges({ runId }: { runId: string }) {
  const changes = useChanges(runId);
  const data = changes.data;
  return (
    <>
      <h2>Changes since the previous run</h2>
      <div data-testid="run-changes">
        {changes.isPending && <Loading />}
        {changes.error && <Empty>Changes are not available: {messageOf(changes.error)}</Empty>}
        {data && !data.comparable && (
          <p className="notice" data-testid="changes-not-compared">
            {capitalise(data.reason ?? "not compared")}.
            {data.previous && (
              <>
                {" "}
                <Link to={`/compare?a=${data.previous}&b=${data.run}`} data-testid="changes-compare-anyway">
                  Compare with {data.previous} anyway
                </Link>
              </>
            )}
          </p>
        )}
        {data?.comparison && (
          <>
            <p className="muted">
              Compared with the previous succeeded run{" "}
              <Link to={`/runs/${data.comparison.a.id}`} className="mono">
                {data.comparison.a.id}
              </Link>{" "}
              ·{" "}
              <Link to={`/compare?a=${data.comparison.a.id}&b=${data.comparison.b.id}`}>open in Compare</Link>
            </p>
            <DiffWarnings warnings={data.comparison.warnings} />
            <RecordDiff diff={data.comparison} />
          </>
        )}
      </div>
    </>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
