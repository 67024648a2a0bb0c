import type { RunSummary } from "../../api/types.ts";
import { formatBytes, formatDuration, formatNumber } from "../../lib/format.ts";
import { ProxyStatsTable } from "./ProxyStatsTable.tsx";

/**
 * Request statistics of a run: volume, status codes, retries, pages reused on a `304`, latency,
 * throughput, and per host.
 */
export function RunStatsPanel({ run }: { run: RunSummary }) {
  const stats = run.stats;
  const codes = Object.entries(stats.statusCodes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <h2>Stats</h2>
      <div className="stat-grid" data-testid="run-stats">
        <Stat label="Requests" value={formatNumber(stats.requests)} testId="stat-requests" />
        <Stat label="Downloaded" value={formatBytes(stats.bytes)} testId="stat-bytes" />
        <Stat label="Retries" value={formatNumber(stats.retries)} testId="stat-retries" />
        {/* Only a revisit (cache: revalidate) has 304s; the summary leaves the count out at 0. */}
        {stats.notModified !== undefined && stats.notModified > 0 && (
          <Stat
            label="Not modified (304)"
            value={formatNumber(stats.notModified)}
            testId="stat-not-modified"
          />
        )}
        <Stat label="Latency p50" value={ms(stats.latencyMs?.p50)} testId="stat-p50" />
        <Stat label="Latency p95" value={ms(stats.latencyMs?.p95)} testId="stat-p95" />
        <Stat
          label="Pages/s"
          value={stats.pagesPerSecond === undefined ? "—" : stats.pagesPerSecond.toFixed(1)}
          testId="stat-pages-per-second"
        />
      </div>
      {codes.length > 0 && (
        <div className="chips" data-testid="status-codes">
          {codes.map(([code, count]) => (
            <span key={code} className={`chip code-${code[0]}xx`} data-testid="status-code" data-code={code}>
              {code}: {formatNumber(count)}
            </span>
          ))}
        </div>
      )}
      <HostStatsTable hosts={stats.hosts ?? {}} />
      <ProxyStatsTable proxies={stats.proxies} />
    </>
  );
}

/**
 * Each host's requests and its rate limiter's state: the rate it is paced at out of its
 * maximum, the 429/503 responses it sent, the time its `Retry-After` waits blocked it.
 */
function HostStatsTable({ hosts }: { hosts: NonNullable<RunSummary["stats"]["hosts"]> }) {
  const entries = Object.entries(hosts).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <table className="table compact host-stats" data-testid="host-stats">
      <caption>Hosts: the pace each was asked at, and how it pushed back</caption>
      <thead>
        <tr>
          <th>Host</th>
          <th className="num">Requests</th>
          <th className="num">Rate (requests/s)</th>
          <th className="num">429/503</th>
          <th className="num">Blocked</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([host, h]) => (
          <tr key={host} data-testid="host-stat" data-host={host}>
            <td className="mono">{host}</td>
            <td className="num">{formatNumber(h.requests)}</td>
            <td className="num" data-testid="host-rate">
              {h.rate === undefined ? "—" : h.maxRate === undefined ? h.rate : `${h.rate} of ${h.maxRate}`}
            </td>
            <td className="num" data-testid="host-throttled">
              {h.throttled === undefined ? "—" : formatNumber(h.throttled)}
            </td>
            <td className="num" data-testid="host-blocked">
              {h.blockedMs === undefined ? "—" : formatDuration(h.blockedMs)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ms(value: number | undefined): string {
  return value === undefined ? "—" : `${Math.round(value)} ms`;
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat">
      <div className="stat-value" data-testid={testId}>
        {value}
      </div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

/** Failed pages grouped by reason, with one example each. */
export function RunErrors({ run }: { run: RunSummary }) {
  if (run.errors.length === 0) return null;
  return (
    <>
      <h2>Errors by reason</h2>
      <table className="table compact" data-testid="run-errors">
        <thead>
          <tr>
            <th>Reason</th>
            <th className="num">Count</th>
            <th>Example</th>
          </tr>
        </thead>
        <tbody>
          {run.errors.map((group) => (
            <tr key={group.reason} data-testid="error-group">
              <td className="mono">{group.reason}</td>
              <td className="num">{formatNumber(group.count)}</td>
              <td className="mono wrap">{group.example}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
