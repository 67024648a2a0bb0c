/**
 * A request's own headers (a definition's `headers:` and `cookies:`), their `{{ env.NAME }}`
 * filled in when the request goes out. The values filled in are secrets: recordings show `***`
 * in their place (see `redactHeaders`).
 */
import { redact, resolveTemplate } from "./env-template.ts";

/** Headers with their templates filled in, and the values that filled them. */
export interface ResolvedHeaders {
  headers: Record<string, string>;
  secrets: string[];
}

/** Every request of a (target, page type) shares one headers object: each is resolved once. */
const resolved = new WeakMap<object, ResolvedHeaders>();

/** Fills in the templates of `headers` from the environment. */
export function resolveHeaders(headers: Readonly<Record<string, string>>): ResolvedHeaders {
  let found = resolved.get(headers);
  if (!found) {
    const secrets: string[] = [];
    const filled: Record<string, string> = {};
    for (const [name, template] of Object.entries(headers)) {
      const { value, secrets: used } = resolveTemplate(template);
      filled[name] = value;
      secrets.push(...used);
    }
    found = { headers: filled, secrets };
    resolved.set(headers, found);
  }
  return found;
}

/** `headers` with every secret value replaced by `***`. */
export function redactHeaders(
  headers: Record<string, string>,
  secrets: readonly string[],
): Record<string, string> {
  if (secrets.length === 0) return headers;
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, redact(value, secrets)]));
}
