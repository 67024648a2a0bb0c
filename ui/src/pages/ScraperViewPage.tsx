import { Link, useSearchParams } from "react-router";
import { useDefinition, useRunList } from "../api/queries.ts";
import type { Problem, RunSummary, ScraperDefinition } from "../api/types.ts";
import { ErrorMessage, Loading } from "../components/Feedback.tsx";
import { RunNowButton } from "../components/RunNowButton.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { StepPipeline, type PipelineStep } from "../components/StepPipeline.tsx";
import { usePageTitle } from "../lib/use-page-title.ts";

/** The definition's steps (crawl first), coloured by the latest run's step states. */
function pipeline(definition: ScraperDefinition, latest: RunSummary | undefined): PipelineStep[] {
  const steps =
    definition.steps[0]?.kind === "crawl"
      ? definition.steps
      : [{ name: "crawl", kind: "crawl" }, ...definition.steps];
  return steps.map((step, index) => {
    const ran = latest?.steps.find((s) => s.name === step.name) ?? latest?.steps[index];
    return ran ? { ...step, status: ran.status, records: ran.records, durationMs: ran.durationMs } : step;
  });
}

/** One definition file: its text with validation problems inline, its pipeline, Run now. */
export function ScraperViewPage() {
  const file = useSearchParams()[0].get("file") ?? "";
  const definition = useDefinition(file);
  // The server names it (YAML or TypeScript); an invalid one by its file, and it has no runs.
  const name = definition.data?.name;
  const runName = definition.data?.valid ? name : undefined;
  const latest = useRunList({ scraper: runName ?? "", limit: 1 });
  const latestRun = runName ? latest.data?.runs[0] : undefined;
  const title = name || file.split(/[\\/]/).pop() || "Scraper";
  usePageTitle(title);
  return (
    <section className="page">
      <header className="page-header">
        <h1 data-testid="scraper-title">{title}</h1>
        <span className="mono muted">{file}</span>
        <span className="spacer" />
        <RunNowButton file={file} disabled={!file || definition.data?.valid === false} recordOption />
      </header>
      {definition.isPending && file && <Loading />}
      {definition.error && <ErrorMessage error={definition.error} title="The definition cannot be read" />}
      {definition.data && (
        <>
          <h2>Pipeline</h2>
          <StepPipeline steps={pipeline(definition.data, latestRun)} />
          {latestRun && (
            <p className="muted">
              Latest run{" "}
              <Link to={`/runs/${latestRun.id}`} className="mono">
                {latestRun.id}
              </Link>{" "}
              <StatusBadge status={latestRun.status} /> ·{" "}
              <Link to={`/runs?scraper=${encodeURIComponent(latestRun.scraper)}`}>all runs</Link>
            </p>
          )}
          <h2>
            Definition{" "}
            {definition.data.valid ? (
              <span className="badge status-succeeded">valid</span>
            ) : (
              <span className="badge status-failed">invalid</span>
            )}
          </h2>
          <DefinitionText text={definition.data.text} problems={definition.data.problems} />
        </>
      )}
    </section>
  );
}

/** The file with line numbers; each problem is shown under the line it points at. */
function DefinitionText({ text, problems }: { text: string; problems: Problem[] }) {
  const lines = text.split("\n");
  const unplaced = problems.filter((p) => !p.line || p.line > lines.length);
  return (
    <div className="code" data-testid="definition">
      {unplaced.map((problem, index) => (
        <div key={`u${index}`} className="problem" data-testid="problem">
          {problem.path ? `${problem.path}: ` : ""}
          {problem.message}
        </div>
      ))}
      {lines.map((line, index) => (
        <div key={index}>
          <div className="code-line">
            <span className="line-number">{index + 1}</span>
            <span>{line || " "}</span>
          </div>
          {problems
            .filter((p) => p.line === index + 1)
            .map((problem, n) => (
              <div key={n} className="problem" data-testid="problem">
                {" ".repeat(Math.max(0, (problem.column ?? 1) - 1))}↑ {problem.message}
              </div>
            ))}
        </div>
      ))}
    </div>
  );
}
