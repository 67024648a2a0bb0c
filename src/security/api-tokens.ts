/**
 * Named API tokens (issue 15, item 2): for scripts and Prometheus while a PIN locks the app.
 * `trawl security token create NAME` shows one once; the database keeps its SHA-256 only.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/index.ts";
import type { ApiTokenRecord, LockStore } from "../store/index.ts";
import type { AuditActor } from "./audit-actions.ts";
import type { AuditLog } from "./audit-log.ts";
import { secretDigest } from "./app-lock.ts";
import { securityError } from "./errors.ts";

/** A token as listed: never its value. */
export type ApiTokenInfo = Omit<ApiTokenRecord, "tokenHash">;

/** Prefix of every token's value: a leaked one is recognisable (secret scanners, logs). */
const TOKEN_PREFIX = "trawl_";

/** The named API tokens of one data directory. */
export class ApiTokens {
  /** Tokens used since this process started: `token.used` is logged once per token and process. */
  private readonly used = new Set<string>();

  constructor(
    private readonly store: LockStore,
    private readonly clock: Clock,
    private readonly audit: { log: AuditLog; actor: () => AuditActor },
  ) {}

  /** Makes a token named `name`; resolves its value, which is never shown again. */
  async create(name: string): Promise<string> {
    if (!/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(name))
      throw securityError("TRAWL_ERR_SECURITY_API_TOKEN_NAME", { name: JSON.stringify(name) });
    const value = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const made = await this.store.createToken({
      name,
      tokenHash: secretDigest(value),
      createdAt: this.clock.now(),
      lastUsedAt: null,
    });
    if (!made) throw securityError("TRAWL_ERR_SECURITY_API_TOKEN_EXISTS", { name });
    await this.audit.log.append({ actor: this.audit.actor(), action: "token.created", subject: name });
    return value;
  }

  async list(): Promise<ApiTokenInfo[]> {
    return (await this.store.tokens()).map(({ tokenHash: _hash, ...info }) => info);
  }

  async revoke(name: string): Promise<void> {
    if (!(await this.store.revokeToken(name)))
      throw securityError("TRAWL_ERR_SECURITY_API_TOKEN_NOT_FOUND", { name });
    await this.audit.log.append({ actor: this.audit.actor(), action: "token.revoked", subject: name });
  }

  /** Whether `value` is still a token (not revoked): nothing is recorded (an event stream asks often). */
  async isLive(value: string): Promise<boolean> {
    return (
      value.startsWith(TOKEN_PREFIX) && (await this.store.tokenByHash(secretDigest(value))) !== undefined
    );
  }

  /** The name of the token `value` is, if any (its use is recorded); `undefined` otherwise. */
  async check(value: string): Promise<string | undefined> {
    if (!value.startsWith(TOKEN_PREFIX)) return undefined;
    const token = await this.store.tokenByHash(secretDigest(value));
    if (!token) return undefined;
    await this.store.touchToken(token.name, this.clock.now());
    if (!this.used.has(token.name)) {
      this.used.add(token.name);
      await this.audit.log.append({
        actor: this.audit.actor(),
        actorName: `token ${token.name}`,
        action: "token.used",
        subject: token.name,
      });
    }
    return token.name;
  }
}
