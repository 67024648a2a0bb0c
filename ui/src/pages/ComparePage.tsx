import { Link, useSearchParams } from "react-router";
import { useComparison, useRunList } from "../api/queries.ts";
import type { RunSummary } from "../api/types.ts";
import { ErrorMessage, Empty, Loading } from "../components/Feedback.tsx";
import { DiffWarnings, RecordDiff } from "../components/RecordDiff.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { formatDuration, formatNumber, runDuration } from "../lib/format.ts";
import { usePageTitle } from "../lib/use-page-title.ts";

/** A fact of both runs; `amount` makes a difference show as a signed delta in B's cell. */
interface Fact {
  label: string;
  value: (run: RunSummary) => string;
  amount?: (run: RunSummary) => number | null | undefined;
  /** Differs between any two runs (timings): not marked. */
  varies?: true;
}

const FACTS: Fact[] = [
  { label: "Scraper", value: (r) => r.scraper },
  { label: "Duration", value: (r) => formatDuration(runDuration(r)), varies: true },
  { label: "Pages", value: (r) => formatNumber(r.pages.done), amount: (r) => r.pages.done },
  { label: "Records", value: (r) => formatNumber(r.records), amount: (r) => r.records },
  { label: "Errors", value: (r) => formatNumber(r.pages.failed), amount: (r) => r.pages.failed },
  { label: "Requests", value: (r) => formatNumber(r.stats.requests), amount: (r) => r.stats.requests },
  {
    label: "Pages/s",
    value: (r) => (r.stats.pagesPerSecond === undefined ? "—" : r.stats.pagesPerSecond.toFixed(1)),
    varies: true,
  },
];

/** Two runs side by side (A = before, B = after) and the difference of their records. */
export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const a = params.get("a") ?? "";
  const b = params.get("b") ?? "";
  usePageTitle(a && b ? `Compare ${a} and ${b}` : "Compare");
  const recent = useRunList({ limit: 100 });
  const comparison = useComparison(a, b);
  const choose = (side: "a" | "b", id: string) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      if (id) next.set(side, id);
      else next.delete(side);
      return next;
    });
  const options = recent.data?.runs ?? [];

  return (
    <section className="page">
      <header className="page-header">
        <h1>Compare runs</h1>
      </header>
      <div className="filters">
        {(["a", "b"] as const).map((side) => {
          const value = side === "a" ? a : b;
          return (
            <label className="field grow" key={side}>
              <span>{side === "a" ? "Run A (before)" : "Run B (after)"}</span>
              <select
                value={value}
                onChange={(e) => choose(side, e.target.value)}
                data-testid={`compare-${side}`}
              >
                <option value="">Choose a run…</option>
                {value && !options.some((run) => run.id === value) && <option value={value}>{value}</option>}
                {options.map((run) => (
                  <option key={run.id} value={run.id}>
                    {run.id} · {run.scraper} · {run.status}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>
      {(!a || !b) && <Empty>Choose two runs to compare (usually two runs of the same scraper).</Empty>}
      {comparison.isFetching && !comparison.data && <Loading what="Comparing" />}
      {comparison.error && <ErrorMessage error={comparison.error} />}
      {comparison.data && (
        <>
          <DiffWarnings warnings={comparison.data.warnings} />
          <CompareMeta a={comparison.data.a} b={comparison.data.b} />
          <h2>Steps</h2>
          <StepsSideBySide a={comparison.data.a} b={comparison.data.b} />
          <h2>Records</h2>
          <RecordDiff diff={comparison.data} />
        </>
      )}
    </section>
  );
}

/** The two runs' facts side by side: status, scraper, timings and counts, differences marked. */
function CompareMeta({ a, b }: { a: RunSummary; b: RunSummary }) {
  return (
    <table className="table compare-table" data-testid="compare-meta">
      <thead>
        <tr>
          <th />
          <th>
            A ·{" "}
            <Link to={`/runs/${a.id}`} className="mono">
              {a.id}
            </Link>
          </th>
          <th>
            B ·{" "}
            <Link to={`/runs/${b.id}`} className="mono">
              {b.id}
            </Link>
          </th>
        </tr>
      </thead>
      <tbody>
        <tr className={a.status === b.status ? undefined : "differs"}>
          <th>Status</th>
          <td>
            <StatusBadge status={a.status} />
          </td>
          <td>
            <StatusBadge status={b.status} />
          </td>
        </tr>
        {FACTS.map((fact) => (
          <FactRow key={fact.label} fact={fact} a={a} b={b} />
        ))}
      </tbody>
    </table>
  );
}

/** A fact of A and B; a row whose values differ is marked, with B's change as a delta. */
function FactRow({ fact, a, b }: { fact: Fact; a: RunSummary; b: RunSummary }) {
  const [before, after] = [fact.value(a), fact.value(b)];
  const [x, y] = [fact.amount?.(a), fact.amount?.(b)];
  const delta = typeof x === "number" && typeof y === "number" && x !== y ? y - x : null;
  const differs = !fact.varies && before !== after;
  return (
    <tr className={differs ? "differs" : undefined} data-testid="compare-fact" data-differs={differs}>
      <th>{fact.label}</th>
      <td>{before}</td>
      <td>
        {after}
        {delta !== null && (
          <span className="delta">
            ({delta > 0 ? "+" : "−"}
            {formatNumber(Math.abs(delta))})
          </span>
        )}
      </td>
    </tr>
  );
}

function StepsSideBySide({ a, b }: { a: RunSummary; b: RunSummary }) {
  const names = [...new Set([...a.steps.map((s) => s.name), ...b.steps.map((s) => s.name)])];
  const cell = (run: RunSummary, name: string) => {
    const step = run.steps.find((s) => s.name === name);
    return step ? `${formatDuration(step.durationMs)} · ${formatNumber(step.records)} rec` : "—";
  };
  // Timings always differ: a step is marked when its record count (or presence) does.
  const records = (run: RunSummary, name: string) => run.steps.find((s) => s.name === name)?.records;
  return (
    <table className="table compact" data-testid="compare-steps">
      <thead>
        <tr>
          <th>Step</th>
          <th>A</th>
          <th>B</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => (
          <tr key={name} className={records(a, name) === records(b, name) ? undefined : "differs"}>
            <td className="mono">{name}</td>
            <td>{cell(a, name)}</td>
            <td>{cell(b, name)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
