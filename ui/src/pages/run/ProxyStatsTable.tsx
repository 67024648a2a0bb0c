import type { RunSummary } from "../../api/types.ts";
import { formatNumber } from "../../lib/format.ts";

/**
 * Each proxy of a run (shown as `scheme://host:port`, never with its credentials): the attempts
 * sent through it, its failures by reason, and why it was retired if it was.
 */
export function ProxyStatsTable({ proxies }: { proxies: RunSummary["stats"]["proxies"] }) {
  const entries = Object.entries(proxies ?? {});
  if (entries.length === 0) return null;
  return (
    <table className="table compact host-stats" data-testid="proxy-stats">
      <caption>Proxies: the requests each carried, how they failed, and which were retired</caption>
      <thead>
        <tr>
          <th>Proxy</th>
          <th className="num">Requests</th>
          <th>Failures</th>
          <th>Retired</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([proxy, p]) => (
          <tr key={proxy} data-testid="proxy-stat" data-proxy={proxy}>
            <td className="mono">{proxy}</td>
            <td className="num" data-testid="proxy-requests">
              {formatNumber(p.requests)}
            </td>
            <td className="mono" data-testid="proxy-failures">
              {failuresText(p.failures)}
            </td>
            <td className="wrap" data-testid="proxy-retired">
              {p.retired ?? "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `proxy_refused 3, http_403 1`, or a dash when there were none. */
export function failuresText(failures: Record<string, number>): string {
  const parts = Object.entries(failures).map(([reason, count]) => `${reason} ${count}`);
  return parts.length > 0 ? parts.join(", ") : "—";
}
