/**
 * A scraper's browser session (cookies, local storage) between runs: one JSON file, readable by
 * its owner only, replaced atomically so a crash never leaves half a session.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { BrowserContext } from "playwright-core";
import type { SessionSummary } from "../../core/contract/sessions.ts";
import { fetchError } from "../errors.ts";

export type SessionState = Awaited<ReturnType<BrowserContext["storageState"]>>;

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

/** The saved session, or undefined when there is none (or it is unreadable: a fresh login follows). */
export async function readSession(file: string): Promise<SessionState | undefined> {
  try {
    const state = JSON.parse(await readFile(file, "utf8")) as SessionState;
    return Array.isArray(state.cookies) && Array.isArray(state.origins) ? state : undefined;
  } catch {
    return undefined;
  }
}

export async function writeSession(file: string, state: SessionState): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const aside = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(aside, JSON.stringify(state), { mode: 0o600 });
  await rename(aside, file);
}

/** Forgets a scraper's session; resolves to whether there was one. */
export async function clearSession(file: string): Promise<boolean> {
  const existed = (await readSession(file)) !== undefined;
  await rm(file, { force: true });
  return existed;
}

/** What `trawl sessions` and the API show of a saved session: never a cookie's value. */
export type { SessionSummary };

/** The saved sessions in the sessions folder, by scraper name. */
export async function listSessions(sessionsDir: string): Promise<SessionSummary[]> {
  const names = await readdir(sessionsDir).catch(() => [] as string[]);
  const summaries: SessionSummary[] = [];
  for (const name of names.filter((n) => n.endsWith(".json")).sort()) {
    const file = join(sessionsDir, name);
    const state = await readSession(file);
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
