/**
 * A scraper's browser session (cookies, local storage) between runs: one JSON file, readable by
 * its owner only, replaced atomically so a crash never leaves half a session. Cookies are
 * credentials: with a {@link SessionCipher} (the app wires the secrets vault in) the file holds
 * the session encrypted, `{"sealed":1,"nonce":…,"data":…}` in base64; a plain file written
 * before is still read, and sealed at its next save.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { BrowserContext } from "playwright-core";
import type { SessionSummary } from "../../core/contract/sessions.ts";
import { fetchError } from "../errors.ts";

export type SessionState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/**
 * Encrypts and decrypts session files (the app implements it with the secrets vault's data key).
 * `label` (the scraper's name) is bound to the ciphertext: a file copied to another scraper's
 * name does not open.
 */
export interface SessionCipher {
  seal(plaintext: Buffer, label: string): Promise<{ nonce: Buffer; ciphertext: Buffer }>;
  /** The plaintext; `undefined` when it does not authenticate. */
  open(sealed: { nonce: Buffer; ciphertext: Buffer }, label: string): Promise<Buffer | undefined>;
}

/** The stored form of a sealed session. */
interface SealedFile {
  sealed: 1;
  nonce: string;
  data: string;
}

/** The scraper a session file belongs to: its name without `.json`. */
function labelOf(file: string): string {
  return basename(file, ".json");
}

/**
 * The file of a scraper's session inside the sessions folder.
 *
 * @throws `TRAWL_ERR_FETCH_BAD_SCRAPER_NAME` for a name that is not a scraper name (a path).
 */
export function sessionFileOf(sessionsDir: string, scraper: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(scraper)) {
    throw fetchError(
      "TRAWL_ERR_FETCH_BAD_SCRAPER_NAME",
      `not a scraper name: ${JSON.stringify(scraper.slice(0, 80))}`,
    );
  }
  return join(sessionsDir, `${scraper}.json`);
}

/**
 * The saved session, or undefined when there is none, or it is unreadable: not JSON, sealed
 * without a `cipher`, or failing authentication (a fresh login follows).
 */
export async function readSession(file: string, cipher?: SessionCipher): Promise<SessionState | undefined> {
  try {
    let state = JSON.parse(await readFile(file, "utf8")) as SessionState | SealedFile;
    if ("sealed" in state) {
      const sealed = {
        nonce: Buffer.from(state.nonce, "base64"),
        ciphertext: Buffer.from(state.data, "base64"),
      };
      const plaintext = await cipher?.open(sealed, labelOf(file));
      if (!plaintext) return undefined;
      state = JSON.parse(plaintext.toString("utf8")) as SessionState;
    }
    return Array.isArray(state.cookies) && Array.isArray(state.origins) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Saves a session, sealed with `cipher` when given. */
export async function writeSession(file: string, state: SessionState, cipher?: SessionCipher): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let text = JSON.stringify(state);
  if (cipher) {
    const { nonce, ciphertext } = await cipher.seal(Buffer.from(text, "utf8"), labelOf(file));
    const sealed: SealedFile = {
      sealed: 1,
      nonce: nonce.toString("base64"),
      data: ciphertext.toString("base64"),
    };
    text = JSON.stringify(sealed);
  }
  const aside = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(aside, text, { mode: 0o600 });
  await rename(aside, file);
}

/** Forgets a scraper's session; resolves to whether there was one. */
export async function clearSession(file: string): Promise<boolean> {
  const existed = await stat(file).then(
    () => true,
    () => false,
  );
  await rm(file, { force: true });
  return existed;
}

/** What `trawl sessions` and the API show of a saved session: never a cookie's value. */
export type { SessionSummary };

/** The saved sessions in the sessions folder, by scraper name. */
export async function listSessions(sessionsDir: string, cipher?: SessionCipher): Promise<SessionSummary[]> {
  const names = await readdir(sessionsDir).catch(() => [] as string[]);
  const summaries: SessionSummary[] = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const file = join(sessionsDir, name);
    const state = await readSession(file, cipher);
    if (!state) continue;
    summaries.push({
      scraper: name.slice(0, -".json".length),
      cookies: state.cookies.length,
      domains: [...new Set(state.cookies.map((cookie) => cookie.domain))].sort(),
      origins: state.origins.length,
      savedAt: (await stat(file)).mtime.toISOString(),
    });
  }
  return summaries;
}
