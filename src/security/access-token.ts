/**
 * The installation's access token (issue 15, item 0): a random secret in `$TRAWL_HOME`, readable
 * by its owner only (the operating system guards it), without which the API answers 401. The app
 * gets it once through the link `trawl serve` prints and `trawl app` opens, and trades it for a
 * session cookie; scripts send it as a bearer token.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { securityError } from "./errors.ts";

/** Bytes of randomness in a token (256 bits), written as base64url. */
const TOKEN_BYTES = 32;

/**
 * The token kept at `path`, created there (mode 0600) when there is none yet. Two processes
 * starting at once agree: the file is created exclusively, and the loser reads the winner's.
 */
export function loadAccessToken(path: string): string {
  try {
    return readToken(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    writeFileSync(path, `${randomBytes(TOKEN_BYTES).toString("base64url")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return readToken(path);
}

function readToken(path: string): string {
  const token = readFileSync(path, "utf8").trim();
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw securityError("TRAWL_ERR_SECURITY_TOKEN_FILE", { path });
  return token;
}

/** Whether `given` is `expected`, in time that does not depend on where they differ. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The value of the app's session cookie for a token: derived from it (HMAC-SHA256), so the cookie
 * never carries the token itself, holds across restarts, and a new token ends every session.
 */
export function sessionProof(token: string): string {
  return createHmac("sha256", token).update("trawl app session v1").digest("base64url");
}
