/**
 * Who, within an actor, did what the audit log records: the session or API token of the request
 * being served (`session 3f9a12c0`, `token ci`). The server opens a context per request and names
 * the caller once the access check knows it; entries appended while serving that request (and
 * the work it starts) carry the name without every layer passing it along.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** The caller's name, filled in by the access check (none: the access token, or a CLI process). */
interface CallerContext {
  name?: string;
}

const callers = new AsyncLocalStorage<CallerContext>();

/** Runs `serve` in a fresh caller context: a request of the server. */
export function withCallerContext<T>(serve: () => T): T {
  return callers.run({}, serve);
}

/** Names the caller of the request being served (nothing outside a request). */
export function nameCaller(name: string): void {
  const context = callers.getStore();
  if (context) context.name = name;
}

/** The caller of the request being served, if named. */
export function callerName(): string | undefined {
  return callers.getStore()?.name;
}
