/**
 * `{{ env.NAME }}` and `{{ secret.NAME }}` in action values, headers, cookies and proxy URLs: the
 * value comes from the environment or the secrets vault when the request or action uses it, so
 * secrets stay out of definition files, hashes, logs and recordings (which keep the template).
 */
import { fetchError } from "./errors.ts";

const ENV_REFERENCE = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
/** A secret's name: a letter, then letters, digits, `_` or `-` (the vault's rule). */
const SECRET_REFERENCE = /\{\{\s*secret\.([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g;
/** Either reference; group 1 is the kind, group 2 the name. */
const REFERENCE = /\{\{\s*(env|secret)\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/g;

/**
 * The values of `{{ secret.NAME }}`: the app wires the secrets vault in (the fetch layer never
 * sees how secrets are kept). `get` is called when a request or action uses the value.
 */
export interface SecretSource {
  /** The secret's value; `undefined` when there is no secret of that name. */
  get(name: string): string | undefined;
}

/**
 * `text` with its `{{ env.NAME }}` and `{{ secret.NAME }}` references taken out (what is left must
 * hold no other `{{ }}`).
 */
export function withoutTemplateReferences(text: string): string {
  return text.replace(ENV_REFERENCE, "").replace(SECRET_REFERENCE, "");
}

/** The environment variables a template reads. */
export function envNamesIn(text: string): string[] {
  return [...text.matchAll(ENV_REFERENCE)].map((match) => match[1]!);
}

/** The secrets a template reads. */
export function secretNamesIn(text: string): string[] {
  return [...text.matchAll(SECRET_REFERENCE)].map((match) => match[1]!);
}

/** A template with its references replaced, and the values it used (to be kept out of messages). */
export interface ResolvedTemplate {
  value: string;
  secrets: string[];
}

/**
 * Fills in a template from `env` and the secrets of `source`.
 *
 * @throws `TRAWL_ERR_FETCH_ENV_MISSING` or `TRAWL_ERR_FETCH_SECRET_MISSING` naming the variable or
 * secret (never a value).
 */
export function resolveTemplate(
  text: string,
  env: NodeJS.ProcessEnv = process.env,
  source?: SecretSource,
): ResolvedTemplate {
  const secrets: string[] = [];
  const value = text.replace(REFERENCE, (whole, kind: string, name: string) => {
    if (kind === "secret" ? !/^[A-Za-z]/.test(name) : name.includes("-")) return whole;
    const found = kind === "secret" ? source?.get(name) : env[name];
    if (found === undefined) {
      throw kind === "secret"
        ? secretMissing([name])
        : fetchError(
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

/** Where a definition reads its secrets: its file, and the line of each name's first use. */
export interface SecretReferences {
  file?: string | undefined;
  lines?: Readonly<Record<string, number>> | undefined;
}

/**
 * Checks that the secrets a scraper reads exist, before anything is stored.
 *
 * @throws `TRAWL_ERR_FETCH_SECRET_MISSING` naming every missing secret, and the file and line
 * of the first one when known.
 */
export function requireSecrets(
  names: readonly string[],
  source: SecretSource | undefined,
  where: SecretReferences = {},
): void {
  const missing = names.filter((name) => source?.get(name) === undefined);
  if (missing.length > 0) throw secretMissing(missing, where);
}

function secretMissing(names: readonly string[], where: SecretReferences = {}) {
  const line = where.lines?.[names[0]!];
  const at = where.file === undefined ? "" : ` ${where.file}${line === undefined ? "" : `:${line}`}`;
  return fetchError(
    "TRAWL_ERR_FETCH_SECRET_MISSING",
    `secret${names.length > 1 ? "s" : ""} ${names.join(", ")} not set (the scraper${at} uses ` +
      `{{ secret.${names[0]} }}): set ${names.length > 1 ? "them" : "it"} with trawl secrets set ${names[0]}`,
    {
      details: {
        secrets: [...names],
        ...(where.file !== undefined && { file: where.file }),
        ...(line !== undefined && { line }),
      },
    },
  );
}

/** The line (from 1) of each name's first `{{ secret.NAME }}` in a definition's text. */
export function secretLinesIn(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  text.split("\n").forEach((line, index) => {
    for (const name of secretNamesIn(line)) lines[name] ??= index + 1;
  });
  return lines;
}
