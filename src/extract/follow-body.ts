/**
 * The POST body of a follow rule (`{ css: a.next, page: results, method: POST, form: {…} }`):
 * every link the rule finds is requested with it. A follow rule's `json` is a JSONPath, so its
 * JSON body is `body_json`; a start entry's is `json`.
 */
import { formBody, jsonBody, type FormValue, type RequestBody } from "../core/index.ts";

/** The POST keys of a follow rule. */
export interface FollowPost {
  /** `POST`: the links are POSTed, with `form` or `body_json` (an empty form without either). */
  method?: "POST";
  /** Form fields, sent urlencoded in this order. */
  form?: Record<string, FormValue>;
  /** A JSON document, sent as `application/json`. */
  body_json?: unknown;
}

/** The body a rule's links are POSTed with; `undefined` for a GET rule. */
export function followBody(rule: FollowPost): RequestBody | undefined {
  if (rule.method !== "POST") return undefined;
  return rule.body_json !== undefined ? jsonBody(rule.body_json) : formBody(rule.form ?? {});
}
