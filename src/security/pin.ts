/**
 * The PIN or passphrase (issue 15, item 1): what is accepted, and how it is kept (an argon2id PHC
 * string at or above OWASP's minimum, through `@node-rs/argon2`: prebuilt, no install scripts).
 */
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { securityError } from "./errors.ts";

/** `Algorithm.Argon2id` (an ambient const enum, which this project's module syntax cannot read). */
const ARGON2ID = 2 as Algorithm;

/** The parameters new hashes get: OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane). */
export const PIN_HASH_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The shortest PIN of digits only, and the shortest passphrase (anything else). */
export const MIN_PIN_DIGITS = 6;
export const MIN_PASSPHRASE_CHARS = 10;
/** The longest accepted: hashing is bounded, and nobody types more. */
const MAX_PIN_CHARS = 1024;

/**
 * `pin` as it is hashed (Unicode NFC, so the same passphrase typed on another keyboard matches);
 * a usage error when it is too weak: 6 digits or more, or a passphrase of 10 characters or more.
 */
export function checkPin(pin: string): string {
  const normal = pin.normalize("NFC");
  const length = [...normal].length;
  const problem =
    length === 0
      ? "is empty"
      : length > MAX_PIN_CHARS
        ? `is over ${MAX_PIN_CHARS} characters`
        : /^[0-9]+$/.test(normal)
          ? length < MIN_PIN_DIGITS
            ? `has ${length} digits: a PIN needs at least ${MIN_PIN_DIGITS}`
            : undefined
          : length < MIN_PASSPHRASE_CHARS
            ? `has ${length} characters: a passphrase (anything but digits only) needs at least ${MIN_PASSPHRASE_CHARS}`
            : undefined;
  if (problem) throw securityError("TRAWL_ERR_SECURITY_PIN_WEAK", { problem });
  return normal;
}

/** The argon2id PHC string of an accepted PIN (see {@link checkPin}). */
export function hashPin(pin: string): Promise<string> {
  return hash(pin.normalize("NFC"), { algorithm: ARGON2ID, ...PIN_HASH_PARAMS });
}

/** Whether `pin` matches the PHC string `stored`; a malformed string matches nothing. */
export async function verifyPin(stored: string, pin: string): Promise<boolean> {
  try {
    return await verify(stored, pin.normalize("NFC"));
  } catch {
    return false;
  }
}

/** Whether `stored` was made with weaker parameters than {@link PIN_HASH_PARAMS} (or not argon2id). */
export function needsRehash(stored: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!match) return true;
  const [m, t, p] = match.slice(1).map(Number) as [number, number, number];
  return m < PIN_HASH_PARAMS.memoryCost || t < PIN_HASH_PARAMS.timeCost || p < PIN_HASH_PARAMS.parallelism;
}
