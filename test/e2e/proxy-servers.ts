/**
 * Real proxy servers on 127.0.0.1 for the proxy tests, each from an npm package (no hand-written
 * proxy): HTTP and HTTPS proxies from `proxy`, SOCKS5 proxies from `@pondwader/socks5-server`.
 * Each notes what it was asked for, so a test can tell that requests went through it.
 */
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { createServer as createSocksServer } from "@pondwader/socks5-server";
import { createProxy, type ProxyServer } from "proxy";
import { TEST_TLS_CERT, TEST_TLS_KEY } from "../fixtures/test-tls.ts";

/** A proxy that is listening, and what it was asked for. */
export interface TestProxy {
  /** `scheme://127.0.0.1:port`, without credentials. */
  url: string;
  /**
   * What it was asked for: an HTTP proxy notes absolute URLs and `CONNECT host:port` tunnels, a
   * SOCKS5 proxy `CONNECT host:port`.
   */
  seen: string[];
  close(): Promise<void>;
}

/** Options of {@link startProxy}. */
export interface HttpProxyOptions {
  /** `user:password` it wants (Basic `Proxy-Authorization`); none: it lets anyone in. */
  credentials?: string;
  /** The address it connects to sites from (a site may block one). */
  localAddress?: string;
  /** Clients speak TLS to it (an `https://` proxy), with the test certificate of test-tls.ts. */
  tls?: boolean;
}

/** A real HTTP (or, with `tls`, HTTPS) proxy, the npm package `proxy`. */
export async function startProxy(options: HttpProxyOptions = {}): Promise<TestProxy> {
  const base = options.tls
    ? https.createServer({ key: TEST_TLS_KEY, cert: TEST_TLS_CERT })
    : http.createServer();
  const server: ProxyServer = createProxy(base);
  if (options.localAddress) server.localAddress = options.localAddress;
  const seen: string[] = [];
  server.on("request", (req: http.IncomingMessage) => seen.push(req.url!));
  server.on("connect", (req: http.IncomingMessage) => seen.push(`CONNECT ${req.url}`));
  if (options.credentials) {
    const expected = `Basic ${Buffer.from(options.credentials).toString("base64")}`;
    server.authenticate = (req) => req.headers["proxy-authorization"] === expected;
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A real SOCKS5 proxy (`@pondwader/socks5-server`), with username/password auth when given. */
export async function startSocksProxy(auth?: { username: string; password: string }): Promise<TestProxy> {
  const socks = createSocksServer(auth ? { auth } : {});
  const seen: string[] = [];
  socks.setRulesetValidator((connection) => {
    seen.push(`CONNECT ${connection.destAddress}:${connection.destPort}`);
    return true;
  });
  // The package's own listener keeps its net.Server private (no port to read after listening on
  // port 0): connections are handed to it from this one, the way its README shows.
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket.once("close", () => sockets.delete(socket)));
    socks._handleConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `socks5://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (a proxy that refuses every connection). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
