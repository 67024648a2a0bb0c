/**
 * The `compute:` template language: text with `${field}` or `${field.sub}` placeholders.
 * Deliberately not JavaScript: no expressions, no calls, no eval; a placeholder is a field path.
 * `$${` writes a literal `${`. Missing or null values render as an empty string; objects and
 * arrays render as JSON.
 */

const PLACEHOLDER = /\$\$\{|\$\{([^}]*)\}/g;
const FIELD_PATH = /^\s*[A-Za-z_][\w-]*(\.[\w-]+)*\s*$/;

/** Why `template` is invalid, or `null` when it is valid. */
export function templateProblem(template: string): string | null {
  for (const match of template.matchAll(PLACEHOLDER)) {
    const path = match[1];
    if (path !== undefined && !FIELD_PATH.test(path)) {
      return `invalid placeholder "\${${path}}": expected a field name like \${title} or \${meta.author}`;
    }
  }
  return null;
}

function lookup(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record;
  for (const key of path.trim().split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function render(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Fills a template from a record. The template must have passed {@link templateProblem}. */
export function renderTemplate(template: string, record: Record<string, unknown>): string {
  return template.replace(PLACEHOLDER, (whole: string, path: string | undefined) =>
    path === undefined ? "${" : render(lookup(record, path)),
  );
}
