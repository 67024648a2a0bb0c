/**
 * A request's own headers (a definition's `headers:` and `cookies:`), their `{{ env.NAME }}` and
 * `{{ secret.NAME }}` filled in when the request goes out. The values filled in are secrets:
 * recordings show `***` in their place (see `redactHeaders`).
 */
import { redact, resolveTemplate, type SecretSource } from "./env-template.ts";

/** Headers with their templates filled in, and the values that filled them. */
export interface ResolvedHeaders {
  headers: Record<string, string>;
  secrets: string[];
}

/**
 * Every request of a (target, page type) shares one headers object: each is resolved once per
 * secret source (a run's), so a later run reads the vault again.
 */
const resolved = new WeakMap<object, WeakMap<object, ResolvedHeaders>>();
/** The key of resolutions without a secret source. */
const NO_SOURCE = {};

/** Fills in the templates of `headers` from the environment and the secrets of `source`. */
export function resolveHeaders(
  headers: Readonly<Record<string, string>>,
  source?: SecretSource,
): ResolvedHeaders {
  const bySource = resolved.get(source ?? NO_SOURCE) ?? new WeakMap<object, ResolvedHeaders>();
  resolved.set(source ?? NO_SOURCE, bySource);
  let found = bySource.get(headers);
  if (!found) {
    const secrets: string[] = [];
    const filled: Record<string, string> = {};
    for (const [name, template] of Object.entries(headers)) {
      const { value, secrets: used } = resolveTemplate(template, process.env, source);
      filled[name] = value;
      secrets.push(...used);
    }
    found = { headers: filled, secrets };
    bySource.set(headers, found);
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
