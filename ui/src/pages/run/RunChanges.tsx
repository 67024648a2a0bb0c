import { Link } from "react-router";
import { useChanges } from "../../api/queries.ts";
import { Empty, Loading } from "../../components/Feedback.tsx";
import { RecordDiff } from "../../components/RecordDiff.tsx";
import { messageOf } from "../../api/client.ts";

/** What changed in the records since the previous run of the same scraper. */
export function RunChanges({ runId }: { runId: string }) {
  const changes = useChanges(runId);
  return (
    <>
      <h2>Changes since the previous run</h2>
      <div data-testid="run-changes">
        {changes.isPending && <Loading />}
        {changes.error && <Empty>Changes are not available: {messageOf(changes.error)}</Empty>}
        {changes.data && "previous" in changes.data && changes.data.previous === null && (
          <Empty>This is the first run of its scraper: nothing to compare with.</Empty>
        )}
        {changes.data && "records" in changes.data && (
          <>
            <p className="muted">
              Compared with{" "}
              <Link to={`/runs/${changes.data.a.id}`} className="mono">
                {changes.data.a.id}
              </Link>{" "}
              · <Link to={`/compare?a=${changes.data.a.id}&b=${changes.data.b.id}`}>open in Compare</Link>
            </p>
            <RecordDiff diff={{ ...changes.data.records, key: changes.data.key }} />
          </>
        )}
      </div>
    </>
  );
}
