import type { ReactNode } from "react";
import { messageOf } from "../api/client.ts";

/** The server's message for a failed call (never a stack trace). */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  return (
    <div className="notice notice-error" role="alert" data-testid="error-message">
      {title && <strong>{title}: </strong>}
      {messageOf(error)}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <div className="empty" data-testid="empty">
      {children}
    </div>
  );
}

export function Loading({ what = "Loading" }: { what?: string }) {
  return <div className="loading">{what}…</div>;
}
