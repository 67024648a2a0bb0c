/**
 * The app's side of the lock (docs/security.md "PIN and sessions"): asks the server whether a PIN
 * is set and whether this browser is unlocked, locks on demand (the Lock button, Ctrl+Shift+L)
 * and after the configured idle minutes without a key or pointer press in the app. The server
 * ends an idle session too, so a closed tab does not keep it alive; this timer only makes the
 * screen follow at once.
 */
import { useCallback, useEffect, useState } from "react";
import { noteLocked, noteUserInput } from "../api/access.ts";
import { api } from "../api/client.ts";
import type { LockStatus } from "../api/types.ts";

/** Whether a PIN is set, and how to lock now. */
export interface AppLock {
  pinSet: boolean;
  lock(): Promise<void>;
}

export function useAppLock(): AppLock {
  const [status, setStatus] = useState<LockStatus | null>(null);
  const lock = useCallback(async () => {
    await api.post("/api/security/lock").catch(() => undefined);
    noteLocked();
  }, []);

  useEffect(() => {
    void api.get<LockStatus>("/api/security/status").then(
      (found) => {
        setStatus(found);
        if (found.locked) noteLocked();
      },
      () => undefined,
    );
  }, []);

  const idleMs = status?.pinSet && status.idleMinutes > 0 ? status.idleMinutes * 60_000 : 0;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const restart = () => {
      if (timer) clearTimeout(timer);
      if (idleMs > 0) timer = setTimeout(() => void lock(), idleMs);
    };
    const onInput = (event: Event) => {
      noteUserInput();
      restart();
      const key = event as KeyboardEvent;
      if (status?.pinSet && key.type === "keydown" && key.ctrlKey && key.shiftKey && key.key === "L") {
        key.preventDefault();
        void lock();
      }
    };
    restart();
    window.addEventListener("keydown", onInput, true);
    window.addEventListener("pointerdown", onInput, true);
    return () => {
      if (timer) clearTimeout(timer);
      window.removeEventListener("keydown", onInput, true);
      window.removeEventListener("pointerdown", onInput, true);
    };
  }, [idleMs, lock, status?.pinSet]);

  return { pinSet: status?.pinSet ?? false, lock };
}
