/**
 * A failure of a request sent through a proxy, told apart from a failure of the site: through a
 * proxy, the only connection trawl opens is to the proxy, so a refused connection or an
 * unresolved name is the proxy's; the site's own trouble comes back as the proxy's answer to the
 * tunnel request (`CONNECT`), which undici reports as "Proxy response (N) !== 200".
 */
import { FetchError } from "./errors.ts";
import type { ReasonCode } from "./types.ts";

/** Chromium's proxy failures, by reason. */
const BROWSER_PROXY_ERRORS: [RegExp, ReasonCode][] = [
  [/ERR_PROXY_CONNECTION_FAILED|ERR_SOCKS_CONNECTION_FAILED/, "proxy_refused"],
  [/ERR_PROXY_AUTH_UNSUPPORTED|ERR_PROXY_AUTH_REQUESTED|ERR_INVALID_AUTH_CREDENTIALS/, "proxy_auth"],
  [
    /ERR_TUNNEL_CONNECTION_FAILED|ERR_PROXY_CERTIFICATE_INVALID|ERR_SOCKS_CONNECTION_HOST_UNREACHABLE/,
    "proxy_error",
  ],
];

/** Whether `error` ends the run rather than its request: every proxy is retired. */
export function endsTheRun(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "TRAWL_ERR_FETCH_NO_PROXY_LEFT";
}

/** Whether a reason is one of the proxy's own. */
export function isProxyReason(reason: ReasonCode): boolean {
  return reason === "proxy_refused" || reason === "proxy_auth" || reason === "proxy_error";
}

/**
 * `failure` of a request sent through `proxy` (`scheme://host:port`), with a proxy reason when the
 * proxy is to blame; else `failure` itself. A proxy reason carries no status: a 407 or 502 of the
 * proxy is not the site's.
 */
export function proxyFailure(failure: FetchError, proxy: string): FetchError {
  const url = failure.url ?? "";
  const text = chainText(failure);
  const tunnel = /Proxy response \((\d{3})\) !== 200/.exec(text);
  let reason: ReasonCode | undefined;
  let detail = "";
  if (tunnel) {
    reason = tunnel[1] === "407" ? "proxy_auth" : "proxy_error";
    detail = `it answered ${tunnel[1]} to the tunnel request`;
  } else if (/Proxy Authentication Required|ERR_PROXY_AUTH|ERR_INVALID_AUTH_CREDENTIALS/.test(text)) {
    reason = "proxy_auth";
    detail = "it wants credentials (407)";
  } else if (failure.reason === "refused" || failure.reason === "dns") {
    reason = "proxy_refused";
    detail = failure.reason === "dns" ? "its name did not resolve" : "it refused the connection";
  } else {
    const browser = BROWSER_PROXY_ERRORS.find(([pattern]) => pattern.test(text));
    if (browser) [, reason] = browser;
    detail = browser ? (/net::(ERR_\w+)/.exec(text)?.[1] ?? "the browser's proxy error") : "";
  }
  if (!reason) return failure;
  const message = `proxy ${proxy} failed for ${url}: ${detail}`;
  return new FetchError(reason, message, { url, cause: failure });
}

/** The messages of an error and its causes, for matching. */
function chainText(error: unknown, depth = 0): string {
  if (depth > 5 || typeof error !== "object" || error === null) return "";
  const { message, cause } = error as { message?: unknown; cause?: unknown };
  return `${typeof message === "string" ? message : ""}\n${chainText(cause, depth + 1)}`;
}
