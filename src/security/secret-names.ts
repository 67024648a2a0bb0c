/** Secret names: what `trawl secrets set NAME` accepts and `{{ secret.NAME }}` refers to. */
import { securityError } from "./errors.ts";

/** A letter, then letters, digits, `_` or `-`; at most 64 characters; case matters. */
const SECRET_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Whether `name` is a valid secret name. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** @throws `TRAWL_ERR_SECURITY_SECRET_NAME` when `name` is not a valid secret name. */
export function checkSecretName(name: string): string {
  if (!isSecretName(name))
    throw securityError("TRAWL_ERR_SECURITY_SECRET_NAME", { name: JSON.stringify(name) });
  return name;
}
