/**
 * Whether the server lets the app in: `open`, `unauthorized` (a 401 for want of the access token:
 * the app came without its link) or `locked` (a PIN is set and there is no unlocked session, or it
 * ended: locked by hand, by the idle timer, or by the server's expiry). The server's answers are
 * the only source: the session cookie is HttpOnly, so the app cannot see whether it has one.
 */
import { useSyncExternalStore } from "react";

export type AccessState = "open" | "unauthorized" | "locked";

let state: AccessState = "open";
const listeners = new Set<() => void>();

function set(next: AccessState): void {
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

/** Called by the API client on every 401 answer, with its code. */
export function noteRefused(code: string | undefined): void {
  set(code === "TRAWL_ERR_HTTP_LOCKED" ? "locked" : "unauthorized");
}

/** The lock screen locked the app itself (a button, the shortcut, the idle timer). */
export function noteLocked(): void {
  set("locked");
}

export function useAccess(): AccessState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/**
 * When the user last pressed a key or a pointer in the app: a request made within a moment of it
 * is the user's doing, and tells the server the session is in use (`X-Trawl-Activity: user`);
 * background refreshes and the event stream never do.
 */
let lastInputAt = 0;
const ACTIVITY_WINDOW_MS = 2000;

export function noteUserInput(): void {
  lastInputAt = Date.now();
}

export function userIsActive(): boolean {
  return Date.now() - lastInputAt < ACTIVITY_WINDOW_MS;
}

/** The session's CSRF token, from the cookie the unlock set (sent back on every change). */
export function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)trawl_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : undefined;
}
