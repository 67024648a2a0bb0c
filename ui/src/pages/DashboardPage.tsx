import { useActiveRuns } from "../api/queries.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { ActiveRunCard } from "./dashboard/ActiveRunCard.tsx";
import { QuickRun } from "./dashboard/QuickRun.tsx";
import { RecentActivity } from "./dashboard/RecentActivity.tsx";
import { usePageTitle } from "../lib/use-page-title.ts";

/** What is happening now: active runs with live progress, a quick-run box, recent activity. */
export function DashboardPage() {
  usePageTitle("Dashboard");
  const active = useActiveRuns();
  return (
    <section className="page">
      <header className="page-header">
        <h1>Dashboard</h1>
      </header>
      <QuickRun />
      <h2>Active runs</h2>
      <div className="stack" data-testid="active-runs">
        {active.isPending && <Loading />}
        {active.error && <ErrorMessage error={active.error} />}
        {active.data?.length === 0 && <Empty>No run is running, paused or queued. Start one above.</Empty>}
        {active.data?.map((run) => (
          <ActiveRunCard key={run.id} run={run} />
        ))}
      </div>
      <RecentActivity />
    </section>
  );
}
