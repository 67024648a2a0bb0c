/**
 * A failure of a request sent through a proxy, told apart from a failure of the site: through a
 * proxy, the only connection trawl opens is to the proxy, so a refused connection or an
 * unresolved name is the proxy's; the site's own trouble comes back as the proxy's answer to the
 * tunnel request (`CONNECT`), which undici reports as "Proxy response (N) !== 200", or as a
 * SOCKS5 reply (`UND_ERR_SOCKS5_REPLY_N`). A TLS failure is the proxy's only when it came from the
 * connection to an `https://` proxy itself (marked by {@link markProxyConnectErrors}): past the
 * tunnel, TLS is the site's.
 */
import type { buildConnector } from "undici";
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
  const blame = proxyBlame(failure);
  if (!blame) return failure;
  const [reason, detail] = blame;
  const message = `proxy ${proxy} failed for ${url}: ${detail}`;
  return new FetchError(reason, message, { url, cause: failure });
}

/** The proxy reason of a failure and what the proxy did, if the proxy is to blame. */
function proxyBlame(failure: FetchError): [ReasonCode, string] | undefined {
  const chain = causes(failure);
  const text = chain.map((error) => error.message).join("\n");
  const code = (pattern: RegExp) => chain.find((error) => pattern.test(error.code));
  const tunnel = /Proxy response \((\d{3})\) !== 200/.exec(text);
  if (tunnel) {
    const detail = `it answered ${tunnel[1]} to the tunnel request`;
    return [tunnel[1] === "407" ? "proxy_auth" : "proxy_error", detail];
  }
  if (/Proxy Authentication Required|ERR_PROXY_AUTH|ERR_INVALID_AUTH_CREDENTIALS/.test(text)) {
    return ["proxy_auth", "it wants credentials (407)"];
  }
  const socks = code(/^UND_ERR_SOCKS5/);
  if (socks) return socksBlame(socks);
  if (/SOCKS5 (authentication|connection) timeout/.test(text)) {
    return ["proxy_error", "its SOCKS5 handshake did not finish in time"];
  }
  if (failure.reason === "refused" || failure.reason === "dns") {
    return [
      "proxy_refused",
      failure.reason === "dns" ? "its name did not resolve" : "it refused the connection",
    ];
  }
  const tls = chain.find((error) => proxyConnectErrors.has(error.error) && TLS_CODE.test(error.code));
  if (tls) return ["proxy_error", tlsDetail(tls)];
  const browser = BROWSER_PROXY_ERRORS.find(([pattern]) => pattern.test(text));
  if (!browser) return undefined;
  return [browser[1], /net::(ERR_\w+)/.exec(text)?.[1] ?? "the browser's proxy error"];
}

/** undici's SOCKS5 errors: the proxy refused the credentials, could not reach the site, or spoke no SOCKS5. */
function socksBlame({ code, message }: Cause): [ReasonCode, string] {
  if (/^UND_ERR_SOCKS5_AUTH_(REJECTED|FAILED)$/.test(code)) {
    const detail = code.endsWith("FAILED") ? "it refused the credentials" : "it wants credentials";
    return ["proxy_auth", `${detail} (SOCKS5: ${message})`];
  }
  if (code.startsWith("UND_ERR_SOCKS5_REPLY_") && code !== "UND_ERR_SOCKS5_REPLY_VERSION") {
    return ["proxy_error", `it could not open the connection (${message})`];
  }
  return ["proxy_error", `it did not answer as a SOCKS5 proxy (${message})`];
}

/** Failures of a TLS connection: Node's `ERR_TLS_*` and `ERR_SSL_*`, and certificate ones. */
const TLS_CODE =
  /^ERR_TLS_|^ERR_SSL_|^UND_ERR_PRX_TLS$|CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

/** OpenSSL's certificate verification codes, and undici's for a proxy certificate of another name. */
const CERT_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|^UND_ERR_PRX_TLS$/;

/** What went wrong with TLS to a proxy; an untrusted certificate says how to trust it. */
function tlsDetail({ code, message }: Cause): string {
  if (!CERT_CODE.test(code)) return `TLS to it failed (${code}: ${message})`;
  return `its TLS certificate is not trusted (${code}: ${message}); trust its CA with NODE_EXTRA_CA_CERTS`;
}

/** Failures of connections to a proxy itself (TCP, and TLS to an `https://` proxy). */
const proxyConnectErrors = new WeakSet<object>();

/**
 * `connect` (undici's connector of the client to a proxy) with its failures marked as the
 * proxy's, so that {@link proxyFailure} tells a proxy certificate trawl cannot trust from a site's.
 */
export function markProxyConnectErrors(connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) =>
    connect(options, (...args) => {
      if (args[0]) proxyConnectErrors.add(args[0]);
      callback(...args);
    });
}

/** An error of a failure's cause chain, with its message and code ("" when it has none). */
interface Cause {
  error: object;
  message: string;
  code: string;
}

/** An error and its causes (an AggregateError's members too), for matching. */
function causes(error: unknown, depth = 0): Cause[] {
  if (depth > 5 || typeof error !== "object" || error === null) return [];
  const { message, code, cause, errors } = error as Record<string, unknown>;
  const own: Cause = {
    error,
    message: typeof message === "string" ? message : "",
    code: typeof code === "string" ? code : "",
  };
  const members = Array.isArray(errors) ? errors.flatMap((inner) => causes(inner, depth + 1)) : [];
  return [own, ...causes(cause, depth + 1), ...members];
}
