/**
 * The body of a POST request (a search form, a JSON or GraphQL API), as it is sent. A request
 * with a body is a POST; one without is a GET. The body is part of a request's identity: two
 * POSTs to one URL with different bodies are two requests.
 */

/** A POST body: a urlencoded form or a JSON document, as sent. */
export interface RequestBody {
  type: "form" | "json";
  /** The bytes sent, as text. */
  text: string;
}

/** The `Content-Type` each body type is sent with (unless the request's headers name another). */
export const REQUEST_BODY_TYPES: Readonly<Record<RequestBody["type"], string>> = Object.freeze({
  form: "application/x-www-form-urlencoded",
  json: "application/json",
});

/** Scalar values a form field may hold; they are sent as their text. */
export type FormValue = string | number | boolean;

/** A urlencoded form body of `fields`, in the order given (as a browser sends a form). */
export function formBody(fields: Readonly<Record<string, FormValue>>): RequestBody {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) params.append(name, String(value));
  return { type: "form", text: params.toString() };
}

/** Sorts object keys, recursively, so that one JSON value has one text whatever its key order. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([key, v]) => [key, sortedKeys(v)]));
}

/** A JSON body of `value`, its object keys sorted (so that one value is one request identity). */
export function jsonBody(value: unknown): RequestBody {
  return { type: "json", text: JSON.stringify(sortedKeys(value)) };
}
