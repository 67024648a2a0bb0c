/**
 * The secrets vault: values encrypted at rest (AES-256-GCM) under a random 256-bit data key, each
 * with a fresh nonce and its name as associated data; the data key is kept wrapped by the master
 * key (see master-key.ts). Values leave the vault only to a run, decrypted when used.
 */
import { randomBytes } from "node:crypto";
import type { SecretInfo, SecretRecord, SecretStore } from "../store/index.ts";
import type { AuditAction, AuditActor } from "./audit-actions.ts";
import type { AuditLog } from "./audit-log.ts";
import { securityError } from "./errors.ts";
import { masterKey, type MasterKey, type MasterKeyOptions } from "./master-key.ts";
import { checkSecretName } from "./secret-names.ts";
import { KEY_BYTES, seal, unseal, type Sealed } from "./secret-crypto.ts";

/** The largest value a secret holds, in bytes of UTF-8. */
export const MAX_SECRET_BYTES = 65_536;

/** Associated data of the data key's wrapping: a secret's ciphertext cannot pass for it. */
const DATA_KEY_ROLE = "trawl:vault-data-key:v1";
const secretRole = (name: string) => `trawl:secret:v1:${name}`;
const sessionRole = (scraper: string) => `trawl:browser-session:v1:${scraper}`;

/** Secret values a run reads, each decrypted when asked for. */
export interface RunSecretValues {
  /** The value of `name`; `undefined` when the vault has no such secret. */
  get(name: string): string | undefined;
}

/** What a vault is opened with. */
export interface SecretVaultOptions extends MasterKeyOptions {
  store: SecretStore;
  /** @defaultValue `Date.now` */
  now?: () => number;
  /** Where changes and uses are recorded (names only), and who makes them; none: not recorded. */
  audit?: { log: AuditLog; actor(): AuditActor };
}

/** The run a vault's secrets are opened for, as the audit log names it. */
export interface SecretUse {
  runId: string;
  scraper: string;
}

/** The vault of one data directory. */
export class SecretVault {
  private readonly store: SecretStore;
  private readonly now: () => number;
  /** The unwrapped data key, once a secret was written or read in this process. */
  private dataKey: Promise<Buffer> | undefined;

  constructor(private readonly options: SecretVaultOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
  }

  /** Creates or changes a secret; resolves `true` when the name is new. */
  async set(name: string, value: string): Promise<boolean> {
    checkSecretName(name);
    const plaintext = Buffer.from(value, "utf8");
    if (plaintext.length === 0)
      throw securityError("TRAWL_ERR_SECURITY_SECRET_VALUE", { problem: "is empty" });
    if (plaintext.length > MAX_SECRET_BYTES) {
      throw securityError("TRAWL_ERR_SECURITY_SECRET_VALUE", {
        problem: `is longer than ${MAX_SECRET_BYTES} bytes`,
      });
    }
    const { nonce, ciphertext } = seal(await this.key(true), plaintext, secretRole(name));
    plaintext.fill(0);
    const created = await this.store.put(name, nonce, ciphertext, this.now());
    await this.record(created ? "secret.created" : "secret.changed", name);
    return created;
  }

  /** Every secret's name and dates; never a value (nothing is decrypted). */
  list(): Promise<SecretInfo[]> {
    return this.store.list();
  }

  /** @throws `TRAWL_ERR_SECURITY_SECRET_NOT_FOUND` when there is no such secret. */
  async remove(name: string): Promise<void> {
    checkSecretName(name);
    if (!(await this.store.remove(name)))
      throw securityError("TRAWL_ERR_SECURITY_SECRET_NOT_FOUND", { name });
    await this.record("secret.deleted", name);
  }

  /**
   * The secrets of `names` for a run. Each one is decrypted once here, so that a wrong master key
   * or an altered row fails before the run starts, and again whenever the run asks for it; the
   * run holds ciphertext, not values. Names the vault lacks are left out (the caller names them).
   * With `use` (the run that reads them, once it exists) each one found is recorded as used.
   *
   * @throws `TRAWL_ERR_SECURITY_KEY_AUTH` or `TRAWL_ERR_SECURITY_SECRET_AUTH` (see {@link reveal}).
   */
  async forRun(names: readonly string[], use?: SecretUse): Promise<RunSecretValues> {
    const rows = names.length > 0 ? await this.store.read([...new Set(names)]) : [];
    const byName = new Map(rows.map((row) => [row.name, row]));
    const key = rows.length > 0 ? await this.key(false) : undefined;
    for (const row of rows) reveal(key!, row).fill(0);
    if (use)
      for (const row of rows)
        // The run uses it, whoever started it (its run.started entry says who): trawl itself.
        await this.record("secret.used", row.name, { run: use.runId, scraper: use.scraper }, "system");
    return {
      get: (name) => {
        const row = byName.get(name);
        return row && reveal(key!, row).toString("utf8");
      },
    };
  }

  /**
   * Encrypts a scraper's browser session (cookies, storage) under the data key, bound to the
   * scraper's name (made on first use, like a secret's).
   */
  async sealSession(plaintext: Buffer, scraper: string): Promise<Sealed> {
    return seal(await this.key(true), plaintext, sessionRole(scraper));
  }

  /** Decrypts what {@link sealSession} made; `undefined` when it does not authenticate. */
  async openSession(sealed: Sealed, scraper: string): Promise<Buffer | undefined> {
    return unseal(await this.key(true), sealed, sessionRole(scraper));
  }

  /** Appends an audit entry about secret `name` (never its value). */
  private async record(
    action: AuditAction,
    name: string,
    details?: Record<string, unknown>,
    actor?: AuditActor,
  ): Promise<void> {
    const audit = this.options.audit;
    if (!audit) return;
    await audit.log.append({
      actor: actor ?? audit.actor(),
      action,
      subject: name,
      ...(details && { details }),
    });
  }

  /** The data key, unwrapped; made (and wrapped) first when `create` and there is none. */
  private key(create: boolean): Promise<Buffer> {
    const pending = (this.dataKey ??= this.unwrapOrCreate(create));
    // A failure (a wrong key) is not kept: the next call tries again.
    pending.catch(() => {
      if (this.dataKey === pending) this.dataKey = undefined;
    });
    return pending;
  }

  private async unwrapOrCreate(create: boolean): Promise<Buffer> {
    let stored = await this.store.dataKey();
    if (stored?.wrappedBy === "env" && this.options.fromEnv === undefined) {
      throw securityError(
        "TRAWL_ERR_SECURITY_KEY_AUTH",
        "this vault's data key was wrapped by TRAWL_MASTER_KEY, which is not set: set it to the key the vault was made with",
      );
    }
    // A vault that exists needs its key file: a missing one is restored, never made anew.
    const master = await masterKey({ ...this.options, create: stored === undefined });
    if (!stored) {
      if (!create) {
        throw securityError(
          "TRAWL_ERR_SECURITY_KEY_AUTH",
          "the vault holds secrets but no data key (its row was deleted): the secrets cannot be read; set them again",
        );
      }
      const fresh = randomBytes(KEY_BYTES);
      const { nonce, ciphertext } = seal(master.key, fresh, DATA_KEY_ROLE);
      stored = await this.store.keepDataKey({
        wrapped: ciphertext,
        nonce,
        wrappedBy: master.source,
        createdAt: this.now(),
      });
    }
    const key = unseal(master.key, { nonce: stored.nonce, ciphertext: stored.wrapped }, DATA_KEY_ROLE);
    if (!key) throw keyAuthError(master, stored.wrappedBy);
    return key;
  }
}

/**
 * A secret's value.
 *
 * @throws `TRAWL_ERR_SECURITY_SECRET_AUTH` when the row does not authenticate.
 */
function reveal(key: Buffer, row: SecretRecord): Buffer {
  const value = unseal(key, row, secretRole(row.name));
  if (!value) throw securityError("TRAWL_ERR_SECURITY_SECRET_AUTH", { name: row.name });
  return value;
}

function keyAuthError(master: MasterKey, wrappedBy: string) {
  const was = wrappedBy === "env" ? "TRAWL_MASTER_KEY" : "the key file keys/master.key";
  return securityError(
    "TRAWL_ERR_SECURITY_KEY_AUTH",
    `the master key from ${master.where} does not open this vault's data key, which ${was} wrapped: ` +
      `set the master key it was made with (or restore keys/master.key); the secrets cannot be read without it`,
  );
}
