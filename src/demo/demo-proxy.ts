/**
 * The demo's forward proxy, beside the demo site, so the proxy example (`proxy:` with credentials
 * from `{{ env.NAME }}`) runs offline: a real HTTP proxy (the npm package `proxy`, plain requests
 * and CONNECT tunnels) that wants user `demo` and {@link DEMO_PROXY_PASSWORD}, and goes only to the
 * demo site itself: its password is public, so it must not relay anything else.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { createProxy } from "proxy";
import { hostInUrl, listen } from "./listen.ts";

/** The demo proxy's user. */
export const DEMO_PROXY_USER = "demo";

/** The demo proxy's password: public, like the demo's member key; `trawl demo` sets it for its runs. */
export const DEMO_PROXY_PASSWORD = "demo-proxy-pass";

/** The environment variable the proxy example reads the password from (`{{ env.DEMO_PROXY_PASSWORD }}`). */
export const DEMO_PROXY_PASSWORD_ENV = "DEMO_PROXY_PASSWORD";

/** A running demo proxy. */
export interface DemoProxy {
  /** `http://host:port`, without credentials. */
  url: string;
  /** Requests and tunnels it was asked for, refused ones included. */
  requests(): number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Starts the proxy on `host:port` in front of the demo site at `site` (`host:port`).
 * @throws DemoListenError when the port is taken.
 */
export async function startDemoProxy(port: number, host: string, site: URL): Promise<DemoProxy> {
  const server = createProxy(createServer());
  let requests = 0;
  const expected = `Basic ${Buffer.from(`${DEMO_PROXY_USER}:${DEMO_PROXY_PASSWORD}`).toString("base64")}`;
  // A wrong password and a target other than the site both answer 407 (the package's only refusal).
  server.authenticate = (req) => {
    requests++;
    return req.headers["proxy-authorization"] === expected && goesToSite(req, site);
  };
  // A tunnel's socket leaves the HTTP server's hands, so closeAllConnections() would miss it.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const listening = await listen(server, port, host);
  return {
    url: `http://${hostInUrl(host)}:${listening}`,
    requests: () => requests,
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}

/** Whether a proxy request (`http://host:port/path`) or tunnel (`host:port`) is for the demo site. */
function goesToSite(req: IncomingMessage, site: URL): boolean {
  let target: URL;
  try {
    target = new URL(req.method === "CONNECT" ? `http://${req.url}` : (req.url ?? ""));
  } catch {
    return false;
  }
  if (target.protocol !== "http:" || target.port !== site.port) return false;
  return target.hostname === site.hostname || LOOPBACK.has(target.hostname);
}
