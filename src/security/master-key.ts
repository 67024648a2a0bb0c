/**
 * The master key: the key-encryption key that wraps the vault's data key. It comes from
 * `TRAWL_MASTER_KEY` when set (32 bytes in base64, validated by the configuration), else from the
 * key file `keys/master.key` of the data directory, made on first use (mode 0600 in a 0700
 * folder) so that scheduled runs open the vault unattended. The OS keyring is not used (see
 * docs/security.md, "Secrets").
 */
import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { securityError } from "./errors.ts";
import { KEY_BYTES } from "./secret-crypto.ts";

/** A master key and where it came from. */
export interface MasterKey {
  key: Buffer;
  /** `env`: `TRAWL_MASTER_KEY`; `file`: the key file. */
  source: "env" | "file";
  /** For messages: the variable's name or the file's path. */
  where: string;
}

/** Where the master key may come from. */
export interface MasterKeyOptions {
  /** `TRAWL_MASTER_KEY` (already checked to be base64 of 32 bytes by the configuration). */
  fromEnv?: string | undefined;
  /** The data directory's `keys` folder. */
  keysDir: string;
  /**
   * Make the key file when there is none (the vault's first use). @defaultValue true; false: a
   * missing key file is an error (the vault's data key was wrapped by it)
   */
  create?: boolean;
}

/** The file under the keys folder that holds the master key in base64. */
export const MASTER_KEY_FILE = "master.key";

/** The master key: from the environment, else the key file (made when there is none). */
export async function masterKey(options: MasterKeyOptions): Promise<MasterKey> {
  if (options.fromEnv !== undefined) {
    return { key: decodeKey(options.fromEnv, "TRAWL_MASTER_KEY"), source: "env", where: "TRAWL_MASTER_KEY" };
  }
  const path = join(options.keysDir, MASTER_KEY_FILE);
  if (options.create === false) {
    const key = await readKeyFile(path);
    if (!key) {
      throw securityError("TRAWL_ERR_SECURITY_MASTER_KEY", {
        problem: `file ${path} is missing, and this vault's data key was wrapped by it: restore it from where you keep it (or set TRAWL_MASTER_KEY if the vault was made with one); the secrets cannot be read without it`,
      });
    }
    return { key, source: "file", where: path };
  }
  return { key: await readOrCreateKeyFile(options.keysDir, path), source: "file", where: path };
}

/** 32 bytes from base64, or a usage error naming where the text came from (never the text). */
function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed) || key.length !== KEY_BYTES) {
    throw securityError("TRAWL_ERR_SECURITY_MASTER_KEY", {
      problem: `in ${where} is not 32 bytes in base64 (44 characters ending in =)`,
    });
  }
  return key;
}

async function readOrCreateKeyFile(dir: string, path: string): Promise<Buffer> {
  const existing = await readKeyFile(path);
  if (existing) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  // Written whole to a private temporary file, then linked into place: link fails when another
  // process made the key first, and nobody ever reads a half-written key.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  await writeFile(temporary, `${randomBytes(KEY_BYTES).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(temporary, { force: true });
  }
  return (await readKeyFile(path))!;
}

/** The key file's key; `undefined` when there is no file. Refuses a file others may read. */
async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const { mode } = await stat(path);
  if (process.platform !== "win32" && (mode & 0o077) !== 0) {
    throw securityError("TRAWL_ERR_SECURITY_MASTER_KEY", {
      problem: `file ${path} can be read by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
    });
  }
  return decodeKey(text, path);
}
