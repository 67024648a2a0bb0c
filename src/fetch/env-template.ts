/**
 * `{{ env.NAME }}` in action values: the value comes from the environment when the action runs,
 * so secrets stay out of definition files, hashes, logs and recordings (which keep the template).
 */
import { fetchError } from "./errors.ts";

const ENV_REFERENCE = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** `text` with its `{{ env.NAME }}` references taken out (what is left must hold no other `{{ }}`). */
export function withoutEnvReferences(text: string): string {
  return text.replace(ENV_REFERENCE, "");
}

/** The environment variables a template reads. */
export function envNamesIn(text: string): string[] {
  return [...text.matchAll(ENV_REFERENCE)].map((match) => match[1]!);
}

/** A template with its references replaced, and the values it used (to be kept out of messages). */
export interface ResolvedTemplate {
  value: string;
  secrets: string[];
}

/**
 * Fills in a template from `env`.
 *
 * @throws `TRAWL_ERR_FETCH_ENV_MISSING` naming the variable (never a value).
 */
export function resolveTemplate(text: string, env: NodeJS.ProcessEnv = process.env): ResolvedTemplate {
  const secrets: string[] = [];
  const value = text.replace(ENV_REFERENCE, (_, name: string) => {
    const found = env[name];
    if (found === undefined) {
      throw fetchError(
        "TRAWL_ERR_FETCH_ENV_MISSING",
        `environment variable ${name} is not set (the scraper uses {{ env.${name} }})`,
      );
    }
    if (found !== "") secrets.push(found);
    return found;
  });
  return { value, secrets };
}

/** `text` with every secret value replaced by `***`, for messages that may quote what was typed. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join("***");
  return result;
}

/**
 * Checks that the variables a scraper reads are set, before anything is stored.
 *
 * @throws `TRAWL_ERR_FETCH_ENV_MISSING` naming every missing variable.
 */
export function requireEnv(names: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const missing = names.filter((name) => env[name] === undefined);
  if (missing.length === 0) return;
  throw fetchError(
    "TRAWL_ERR_FETCH_ENV_MISSING",
    `environment variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")} not set (the scraper reads {{ env.${missing[0]} }})`,
  );
}
