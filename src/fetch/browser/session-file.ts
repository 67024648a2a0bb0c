/**
 * A scraper's browser session (cookies, local storage) between runs: one JSON file, readable by
 * its owner only, replaced atomically so a crash never leaves half a session.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { BrowserContext } from "playwright-core";

export type SessionState = Awaited<ReturnType<BrowserContext["storageState"]>>;

/** The file of a scraper's session inside the sessions folder. */
export function sessionFileOf(sessionsDir: string, scraper: string): string {
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
