/**
 * Whether the server refused the app's requests for want of the access token (401): the app then
 * shows how to sign in instead of a page of errors. The server's answer is the only source: the
 * session cookie is HttpOnly, so the app cannot see whether it has one.
 */
import { useSyncExternalStore } from "react";

let refused = false;
const listeners = new Set<() => void>();

/** Called by the API client on every 401 answer. */
export function noteUnauthorized(): void {
  if (refused) return;
  refused = true;
  for (const listener of listeners) listener();
}

/** True once the server answered 401. */
export function useUnauthorized(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => refused,
  );
}
