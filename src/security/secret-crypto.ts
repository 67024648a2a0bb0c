/**
 * AES-256-GCM from `node:crypto`, as the vault uses it: a fresh random 96-bit nonce per
 * encryption (never reused: at most 2^32 encryptions per key keep the collision odds negligible,
 * and a vault makes a handful), the 16-byte tag appended to the ciphertext, and associated data
 * that binds a ciphertext to what it belongs to (a secret's name, the data key's role).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Bytes of a key (AES-256). */
export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** An encryption's output. */
export interface Sealed {
  nonce: Buffer;
  /** The ciphertext with its authentication tag appended. */
  ciphertext: Buffer;
}

/** Encrypts `plaintext` under `key`, binding `associated` to it. */
export function seal(key: Buffer, plaintext: Buffer, associated: string): Sealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associated, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, ciphertext };
}

/**
 * Decrypts what {@link seal} made; `undefined` when it does not authenticate (another key, other
 * associated data, a changed byte): never a garbled plaintext. The caller names the failure.
 */
export function unseal(key: Buffer, sealed: Sealed, associated: string): Buffer | undefined {
  const { nonce, ciphertext } = sealed;
  if (nonce.length !== NONCE_BYTES || ciphertext.length < TAG_BYTES) return undefined;
  const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associated, "utf8"));
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(ciphertext.subarray(0, ciphertext.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}
