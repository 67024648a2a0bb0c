/** A thin fetch wrapper: JSON in and out, API errors as `ApiError` carrying the server's message. */
import { csrfToken, noteRefused, userIsActive } from "./access.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  // Only send a content type with a body: the server refuses an empty JSON body.
  const headers: Record<string, string> = { accept: "application/json" };
  // With a PIN set: a change carries the session's CSRF token; what the user did keeps it alive.
  const csrf = method === "GET" ? undefined : csrfToken();
  if (csrf) headers["x-trawl-csrf"] = csrf;
  if (userIsActive()) headers["x-trawl-activity"] = "user";
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "The trawl server cannot be reached. Is `trawl serve` running?");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (e.g. a proxy error page): fall through to a generic message below.
  }
  if (!response.ok) {
    const error = data as { message?: string; code?: string } | undefined;
    // The lock screen's own requests handle their answers; any other 401 shuts the app.
    if (response.status === 401 && !path.startsWith("/api/security/")) noteRefused(error?.code);
    throw new ApiError(
      response.status,
      error?.message ?? `${response.status} ${response.statusText}`,
      error?.code,
    );
  }
  return data as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  delete: <T = void>(path: string) => request<T>("DELETE", path),
};

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
