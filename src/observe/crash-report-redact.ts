/**
 * A command line as a crash report keeps it: what looks like a credential replaced by
 * `[redacted]` (a reported crash is shared; trawl never records a secret, DESIGN.md §3.6).
 */
/** What a crash report shows instead of a secret-looking value (as the exports do). */
const REDACTED = "[redacted]";

/** Option names (and URL query parameters) whose values are credentials. */
const SECRET_NAME =
  /(token|secret|password|passwd|pass|pwd|pin|key|auth|credential|cookie|signature|sig|session)/i;

/** A URL's password and its credential-named query values replaced. */
function redactUrl(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"']+/gi, (found) => {
    let url: URL;
    try {
      url = new URL(found);
    } catch {
      return found;
    }
    if (url.password) url.password = REDACTED;
    if (url.username && url.password) url.username = REDACTED;
    for (const name of [...url.searchParams.keys()])
      if (SECRET_NAME.test(name)) url.searchParams.set(name, REDACTED);
    return url.toString();
  });
}

/**
 * `argv` with secret-looking values redacted: the value of an option named like a credential
 * (`--token X`, `--password=X`), a password in a URL and credential-named query parameters.
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^(--?[^=\s]+)=(.*)$/s.exec(arg);
    if (inline && SECRET_NAME.test(inline[1]!)) {
      out.push(`${inline[1]}=${REDACTED}`);
    } else if (
      /^--?[a-z]/i.test(arg) &&
      SECRET_NAME.test(arg) &&
      i + 1 < argv.length &&
      !argv[i + 1]!.startsWith("-")
    ) {
      out.push(arg, REDACTED);
      i++;
    } else {
      out.push(redactUrl(arg));
    }
  }
  return out;
}
