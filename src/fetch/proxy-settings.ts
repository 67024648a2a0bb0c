/**
 * A scraper's proxies as its definition gives them (`proxy:` or `proxies:` with `rotate:`), and
 * one proxy URL read: its scheme, host and port (what is ever shown of it) and its credentials,
 * filled in from `{{ env.NAME }}` only when the proxy is first used.
 */
import { resolveTemplate, withoutTemplateReferences, type SecretSource } from "./env-template.ts";

/**
 * How requests are spread over several proxies.
 * - `round_robin`: each attempt goes through the next proxy.
 * - `sticky_per_host`: every request to a host goes through the same proxy (a session a site ties
 *   to an address survives); the host moves to another one only when its proxy fails.
 * - `on_block`: all requests go through one proxy until it is blocked (a 403 or 429) or fails,
 *   then through the next.
 */
export type ProxyRotation = "round_robin" | "sticky_per_host" | "on_block";

/** The proxies of a scraper. */
export interface ProxySettings {
  /** Proxy URLs as written: `scheme://[user[:password]@]host[:port]`, `{{ env.NAME }}` allowed. */
  urls: readonly string[];
  /** @defaultValue `"round_robin"` */
  rotate: ProxyRotation;
}

/** The schemes a proxy URL may have. */
export const PROXY_SCHEMES = ["http", "https", "socks5"] as const;

const DEFAULT_PORTS: Record<(typeof PROXY_SCHEMES)[number], string> = {
  http: "80",
  https: "443",
  socks5: "1080",
};

/** A proxy URL filled in and taken apart. */
export interface ProxyEndpoint {
  /** `scheme://host:port`: how the proxy is shown in logs, stats and errors (never its credentials). */
  id: string;
  /** The URL with its credentials, for the dispatcher: never shown. */
  url: string;
  scheme: (typeof PROXY_SCHEMES)[number];
  /** `scheme://host:port`, as a browser takes it. */
  server: string;
  username?: string;
  password?: string;
  /** The values filled in from the environment (kept out of messages). */
  secrets: string[];
}

/**
 * What is wrong with a proxy URL as written, or undefined when it is fine: it must be
 * `http://`, `https://` or `socks5://`, name a host, have no path, query or fragment, and take a
 * password only from `{{ env.NAME }}` (a definition file is hashed, shown and shared).
 */
export function proxyUrlProblem(template: string): string | undefined {
  const probe = template.replace(/\{\{[^}]*\}\}/g, "x");
  let url: URL;
  try {
    url = new URL(probe);
  } catch {
    return "expected a proxy URL such as http://proxy.example:8080";
  }
  const scheme = url.protocol.slice(0, -1);
  if (!(PROXY_SCHEMES as readonly string[]).includes(scheme)) {
    return `unsupported proxy scheme "${scheme}:" (use ${PROXY_SCHEMES.map((s) => `${s}://`).join(", ")})`;
  }
  if (url.hostname === "") return "a proxy URL needs a host";
  if ((url.pathname !== "" && url.pathname !== "/") || url.search || url.hash) {
    return "a proxy URL is scheme://host:port, without a path, query or fragment";
  }
  const userinfo = /^[a-z0-9]+:\/\/([^@/]*)@/i.exec(template)?.[1];
  const password = userinfo?.includes(":") ? userinfo.slice(userinfo.indexOf(":") + 1) : "";
  if (password !== "" && withoutTemplateReferences(password) !== "") {
    return 'a proxy password must come from the environment or the secrets vault: "{{ env.NAME }}" or "{{ secret.NAME }}", never written in the file';
  }
  return undefined;
}

/**
 * Fills in a proxy URL's templates and takes it apart.
 *
 * @throws `TRAWL_ERR_FETCH_ENV_MISSING` / `TRAWL_ERR_FETCH_SECRET_MISSING` naming what is not set.
 */
export function resolveProxy(
  template: string,
  env: NodeJS.ProcessEnv = process.env,
  source?: SecretSource,
): ProxyEndpoint {
  const { value, secrets } = resolveTemplate(template, env, source);
  // The credentials are percent-encoded so that a password holding `@`, `:` or `/` parses.
  const match = /^([a-z0-9]+:\/\/)(?:([^@/]*)@)?(.*)$/i.exec(value)!;
  const [user = "", pass] = match[2] === undefined ? [] : splitOnce(match[2], ":");
  const encoded = match[2] === undefined ? value : `${match[1]}${userinfo(user, pass)}@${match[3]}`;
  const url = new URL(encoded);
  const scheme = url.protocol.slice(0, -1) as ProxyEndpoint["scheme"];
  const server = `${scheme}://${url.hostname}:${url.port || DEFAULT_PORTS[scheme]}`;
  return {
    id: server,
    url: url.href,
    scheme,
    server,
    ...(user !== "" && { username: decodeURIComponentSafe(user) }),
    ...(pass !== undefined && pass !== "" && { password: decodeURIComponentSafe(pass) }),
    secrets,
  };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function userinfo(user: string, pass: string | undefined): string {
  const encode = (part: string) => encodeURIComponent(decodeURIComponentSafe(part));
  return pass === undefined ? encode(user) : `${encode(user)}:${encode(pass)}`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
