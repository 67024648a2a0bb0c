import { Link } from "react-router";
import { useScrapers, useSessions } from "../api/queries.ts";
import { Empty, ErrorMessage, Loading } from "../components/Feedback.tsx";
import { RunNowButton } from "../components/RunNowButton.tsx";
import { SessionCell } from "../components/SessionCell.tsx";
import { usePageTitle } from "../lib/use-page-title.ts";

/** The scraper definitions found in the configured folders, with their validity. */
export function ScrapersPage() {
  usePageTitle("Scrapers");
  const { data, error, isPending } = useScrapers();
  const sessions = useSessions();
  const sessionOf = (name: string) => sessions.data?.sessions.find((s) => s.scraper === name);
  return (
    <section className="page">
      <header className="page-header">
        <h1>Scrapers</h1>
      </header>
      {isPending && <Loading />}
      {error && <ErrorMessage error={error} title="The scraper list is not available" />}
      {data && (
        <p className="muted" data-testid="scraper-folders">
          Looking in: {data.folders.length > 0 ? data.folders.join(", ") : "no folders configured"}
        </p>
      )}
      {data?.scrapers.length === 0 && <Empty>No scraper definitions found in these folders.</Empty>}
      {data && data.scrapers.length > 0 && (
        <table className="table" data-testid="scrapers-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>File</th>
              <th>Valid</th>
              <th>Targets</th>
              <th>Steps</th>
              <th title="Cookies and storage of the browser, kept between runs">Session</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.scrapers.map((scraper) => (
              <tr key={scraper.file} data-testid="scraper-row" data-scraper={scraper.name}>
                <td>
                  {/* An invalid definition is named by its file: it is the one to open and fix. */}
                  <Link
                    to={`/scrapers/view?file=${encodeURIComponent(scraper.file)}`}
                    className={scraper.valid ? undefined : "mono"}
                    data-testid="scraper-link"
                  >
                    {scraper.name}
                  </Link>
                </td>
                <td className="mono muted">{scraper.file}</td>
                <td>
                  {scraper.valid ? (
                    <span className="badge status-succeeded">valid</span>
                  ) : (
                    <span
                      className="badge status-failed"
                      title={scraper.problems.map((p) => p.message).join("\n")}
                    >
                      {scraper.problems.length} problem{scraper.problems.length === 1 ? "" : "s"}
                    </span>
                  )}
                </td>
                <td>{scraper.targets.join(", ")}</td>
                <td className="muted">{scraper.steps.map((s) => s.name).join(" → ")}</td>
                <td>
                  <SessionCell scraper={scraper.name} session={sessionOf(scraper.name)} />
                </td>
                <td className="actions-cell">
                  <RunNowButton file={scraper.file} disabled={!scraper.valid} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
