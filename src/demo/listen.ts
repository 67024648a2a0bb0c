/** Listening for the demo's servers (the site and its proxy), with the demo's own error. */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DemoListenError } from "./errors.ts";

/**
 * Starts `server` listening and resolves with its port (the one picked when `port` is 0).
 * @throws DemoListenError when the port is taken or the host is not an address of this machine.
 */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error) =>
      reject(
        new DemoListenError(`demo site cannot listen on ${host}:${port}: ${error.message}`, { cause: error }),
      ),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** `host` as it is written in a URL (an IPv6 address in brackets). */
export function hostInUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
