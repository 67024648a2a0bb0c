/**
 * Removes credentials from text and JSON before they leave the data directory (the diagnostics
 * bundle, docs/diagnostics.md): the run-time values the secrets vault knows and the access token,
 * the values of credential headers (`Authorization`, `Cookie`…, the list exports use), bearer and
 * basic credentials, passwords in URLs (`user:pass@`), token-like query parameters, API tokens
 * (`trawl_…`) and fields named like a secret. It counts what it removed by kind, never the values.
 */
import { CREDENTIAL_HEADERS, REDACTED } from "../core/index.ts";

/** What was removed: one count per kind. */
export type RedactionKind =
  | "secret-value"
  | "access-token"
  | "api-token"
  | "credential-header"
  | "bearer-credential"
  | "url-password"
  | "url-token"
  | "sensitive-field";

/** What each kind is, for the report. */
export const REDACTION_KINDS: Readonly<Record<RedactionKind, string>> = {
  "secret-value": "a value of the secrets vault, wherever it appeared",
  "access-token": "the data directory's access token",
  "api-token": "a named API token (trawl_…)",
  "credential-header": "the value of an Authorization, Proxy-Authorization, Cookie or Set-Cookie header",
  "bearer-credential": "a Bearer or Basic credential",
  "url-password": "the password of a URL's user:password@",
  "url-token": "a token-like query parameter (token, key, api_key, access_token, password, secret, sig…)",
  "sensitive-field": "a field named like a secret (password, token, secret, api_key, cookie…)",
};

/** Values the redactor knows in advance and removes wherever they appear. */
export interface KnownValues {
  kind: "secret-value" | "access-token";
  values: readonly string[];
}

/** Known values shorter than this are not searched for: they would blank out ordinary text. */
export const MIN_KNOWN_VALUE_LENGTH = 4;

/** The redaction report of a bundle: counts per kind and what was known, never a value. */
export interface RedactionReport {
  removed: { kind: RedactionKind; description: string; count: number }[];
  total: number;
  /** How many values of each known kind were searched for. */
  known: Record<KnownValues["kind"], number>;
  /** Known values too short to search for (see {@link MIN_KNOWN_VALUE_LENGTH}). */
  tooShort: number;
  /** What could not be done (the vault could not be opened…). */
  notes: string[];
}

/** Query parameter names that carry credentials, whole (after lower-casing). */
const QUERY_NAMES = new Set(["key", "sig", "code", "auth", "pass", "jwt", "sid", "pwd", "hash"]);
/** Names that carry credentials wherever they appear in a name (fields and query parameters). */
const SECRET_NAME =
  /token|secret|passw(or)?d|passwd|api[_-]?key|access[_-]?key|private[_-]?key|master[_-]?key|authori[sz]ation|cookie|signature|credential|session[_-]?id|x-amz-security/i;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const HEADER_NAMES = [...CREDENTIAL_HEADERS].sort((a, b) => b.length - a.length).map(escape);
/** `Authorization: value`, `"cookie": "value"`, `set-cookie=value`: the value to the end of its quotes or line. */
const HEADER_VALUE = new RegExp(
  `\\b(${HEADER_NAMES.join("|")})(["']?[ \\t]*[:=][ \\t]*)("(?:[^"\\\\\\n]|\\\\.)*"|'[^'\\n]*'|[^\\r\\n]*)`,
  "gi",
);
const BEARER = /\b([Bb]earer|Basic)([ \t]+)[A-Za-z0-9._~+/-]{8,}=*/g;
/** `scheme://user:password@`: the password, percent-encoded or not, up to the `@`. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s/?#@:"'<>]{0,256}:)([^\s/?#@"'<>]{1,512})@/gi;
/** `?name=value`, `&name=value`, `#name=value` (the fragment of an OAuth redirect). */
const QUERY_PARAM = /([?&;#])([A-Za-z0-9_.\-[\]]{1,64})=([^&#\s"'<>]+)/g;
const API_TOKEN = /\btrawl_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/**
 * The ways a value is written where it may turn up: as is, percent-encoded (by
 * `encodeURIComponent`, by a form or `URLSearchParams`, or every character but letters and
 * digits), JSON-escaped (inside a quoted string).
 */
function writtenForms(value: string): string[] {
  const everyByte = [...Buffer.from(value, "utf8")]
    .map((byte) =>
      /[A-Za-z0-9]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
  return [
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    everyByte,
    JSON.stringify(value).slice(1, -1),
  ];
}

/** Whether a field or query parameter named `name` holds a credential. */
export function isSecretName(name: string, query = false): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAME.test(lower) || (query && QUERY_NAMES.has(lower.replace(/[^a-z]/g, "")));
}

/** A redactor for one bundle: apply {@link Redactor.text} and {@link Redactor.json}, then read the report. */
export class Redactor {
  private readonly counts = new Map<RedactionKind, number>();
  private readonly known: RegExp | undefined;
  private readonly kindOf = new Map<string, KnownValues["kind"]>();
  private readonly knownCounts: Record<KnownValues["kind"], number> = {
    "secret-value": 0,
    "access-token": 0,
  };
  private readonly tooShort: number;
  private readonly notes: string[] = [];

  constructor(known: readonly KnownValues[] = []) {
    let tooShort = 0;
    for (const { kind, values } of known) {
      for (const value of values) {
        if (value.length < MIN_KNOWN_VALUE_LENGTH) {
          if (value.length > 0) tooShort++;
          continue;
        }
        this.knownCounts[kind]++;
        for (const form of writtenForms(value)) if (!this.kindOf.has(form)) this.kindOf.set(form, kind);
      }
    }
    this.tooShort = tooShort;
    // One pass over the text for every value; the longest first, so that a value holding
    // another is removed whole.
    const forms = [...this.kindOf.keys()].sort((a, b) => b.length - a.length);
    this.known = forms.length > 0 ? new RegExp(forms.map(escape).join("|"), "g") : undefined;
  }

  /** Notes a limit of this redaction (shown in the report). */
  note(text: string): void {
    this.notes.push(text);
  }

  /** `input` with every credential replaced by `[redacted]`. */
  text(input: string): string {
    let text = input;
    if (this.known)
      text = text.replace(this.known, (match) => this.replaced(this.kindOf.get(match)!, REDACTED));
    text = text.replace(HEADER_VALUE, (_whole, name: string, separator: string, value: string) => {
      if (/^["']?(\[redacted\])?["']?$/.test(value.trim())) return `${name}${separator}${value}`;
      this.replaced("credential-header", "");
      const quote = value.startsWith('"') || value.startsWith("'") ? value[0]! : "";
      return `${name}${separator}${quote}${REDACTED}${quote}`;
    });
    text = text.replace(BEARER, (_whole, scheme: string, space: string) =>
      this.replaced("bearer-credential", `${scheme}${space}${REDACTED}`),
    );
    text = text.replace(URL_PASSWORD, (whole, head: string, password: string) =>
      password === REDACTED ? whole : this.replaced("url-password", `${head}${REDACTED}@`),
    );
    text = text.replace(QUERY_PARAM, (whole, lead: string, name: string, value: string) =>
      value === REDACTED || !isSecretName(name, true)
        ? whole
        : this.replaced("url-token", `${lead}${name}=${REDACTED}`),
    );
    return text.replace(API_TOKEN, () => this.replaced("api-token", REDACTED));
  }

  /**
   * A copy of `value` (JSON data) with every string redacted as {@link Redactor.text} does, and
   * the value of every field named like a secret (or a credential header) replaced whole.
   */
  json(value: unknown): unknown {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.json(item));
    if (value === null || typeof value !== "object") return value;
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      const secret =
        (isSecretName(key) || CREDENTIAL_HEADERS.has(key.toLowerCase())) &&
        field !== null &&
        field !== undefined &&
        field !== "" &&
        typeof field !== "boolean";
      copy[key] = secret ? this.replaced("sensitive-field", REDACTED) : this.json(field);
    }
    return copy;
  }

  /** A line of text or JSON: a JSON object's strings and fields are redacted as JSON, then written back. */
  line(input: string): string {
    if (input.startsWith("{")) {
      try {
        return JSON.stringify(this.json(JSON.parse(input)));
      } catch {
        // Not JSON after all: redact it as text.
      }
    }
    return this.text(input);
  }

  /** What was removed so far. */
  report(): RedactionReport {
    const removed = (Object.keys(REDACTION_KINDS) as RedactionKind[])
      .filter((kind) => this.counts.has(kind))
      .map((kind) => ({ kind, description: REDACTION_KINDS[kind], count: this.counts.get(kind)! }));
    return {
      removed,
      total: removed.reduce((sum, { count }) => sum + count, 0),
      known: { ...this.knownCounts },
      tooShort: this.tooShort,
      notes: [...this.notes],
    };
  }

  private replaced(kind: RedactionKind, replacement: string): string {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    return replacement;
  }
}
