import { useEffect, useState, type FormEvent } from "react";
import { ApiError, api, messageOf } from "../api/client.ts";
import type { LockStatus, Unlocked } from "../api/types.ts";

/**
 * The lock screen: the app shows nothing else until the PIN unlocks it. Wrong PINs are answered
 * by the server, which also enforces the delays after five in a row: the screen shows the wait and
 * counts it down, and says so when unlocking is disabled (after 100).
 */
export function LockScreen() {
  const [pin, setPin] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [wait, setWait] = useState(0);
  const [disabled, setDisabled] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (wait <= 0) return;
    const tick = setTimeout(() => setWait((seconds) => seconds - 1), 1000);
    return () => clearTimeout(tick);
  }, [wait]);

  async function unlock(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      await api.post<Unlocked>("/api/security/unlock", { pin });
      // Everything the app holds was refused while locked: start it afresh, the stream included.
      window.location.reload();
      return;
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : messageOf(error));
      setPin("");
      const status = await api.get<LockStatus>("/api/security/status").catch(() => null);
      setWait(status?.retryAfterSeconds ?? 0);
      setDisabled(status?.disabled ?? false);
    }
    setBusy(false);
  }

  return (
    <main className="lock-screen" data-testid="lock-screen">
      <form className="lock-form" onSubmit={(event) => void unlock(event)}>
        <h1>trawl is locked</h1>
        <label htmlFor="lock-pin">PIN or passphrase</label>
        <input
          id="lock-pin"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={pin}
          onChange={(event) => setPin(event.target.value)}
          disabled={disabled}
          data-testid="lock-pin"
        />
        <button type="submit" disabled={busy || disabled || wait > 0 || pin === ""} data-testid="lock-unlock">
          Unlock
        </button>
        {message && (
          <p role="alert" className="error-message" data-testid="lock-error">
            {message}
          </p>
        )}
        {wait > 0 && (
          <p data-testid="lock-wait">Too many wrong PINs: the next attempt is admitted in {wait} s.</p>
        )}
        {disabled && (
          <p data-testid="lock-disabled">
            Unlocking is disabled after 100 wrong PINs in a row. On this machine, run{" "}
            <code>trawl security unlock-reset</code>.
          </p>
        )}
      </form>
    </main>
  );
}
