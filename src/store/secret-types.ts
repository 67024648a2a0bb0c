/**
 * The secrets vault's rows (see {@link SecretStore}). The store keeps only ciphertext: the
 * security layer encrypts and decrypts, the store never sees a value.
 */

/** The vault's data key, wrapped (encrypted) by a key-encryption key. One per database. */
export interface WrappedDataKeyRecord {
  /** The data key encrypted with AES-256-GCM, its 16-byte tag appended. */
  wrapped: Buffer;
  /** The 96-bit nonce of that encryption. */
  nonce: Buffer;
  /** What wrapped it: `env` (`TRAWL_MASTER_KEY`) or `file` (`keys/master.key`). */
  wrappedBy: string;
  createdAt: number;
}

/** A secret as listed: its name and dates, never its value. */
export interface SecretInfo {
  name: string;
  createdAt: number;
  updatedAt: number;
}

/** A secret as stored: its value encrypted under the data key, the name bound to it. */
export interface SecretRecord extends SecretInfo {
  /** The 96-bit nonce of the encryption (fresh for every write). */
  nonce: Buffer;
  /** The encrypted value, its 16-byte tag appended. */
  ciphertext: Buffer;
}

/** The secrets vault's rows: the wrapped data key and the encrypted secrets. */
export interface SecretStore {
  /** The wrapped data key; `undefined` before the first secret. */
  dataKey(): Promise<WrappedDataKeyRecord | undefined>;
  /**
   * Keeps `key` as the data key unless one exists already (another process may have made one
   * first); returns the one kept.
   */
  keepDataKey(key: WrappedDataKeyRecord): Promise<WrappedDataKeyRecord>;
  /** Every secret's name and dates, by name. */
  list(): Promise<SecretInfo[]>;
  /** The stored secrets of `names` that exist (all of them without `names`). */
  read(names?: readonly string[]): Promise<SecretRecord[]>;
  /**
   * Stores a secret's new ciphertext; a new name is created at `at`, an existing one keeps its
   * creation date and is changed at `at`. Resolves `true` when the name is new.
   */
  put(name: string, nonce: Buffer, ciphertext: Buffer, at: number): Promise<boolean>;
  /** Deletes a secret; resolves `false` when there was none of that name. */
  remove(name: string): Promise<boolean>;
}
