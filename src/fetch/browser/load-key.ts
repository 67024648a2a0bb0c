import { createHash } from "node:crypto";
import type { BrowserLoad } from "../settings.ts";

/**
 * Names how a browser page was loaded (its `wait_for`, `wait_until` and actions): a recorded page
 * replays from its recorded document only while its definition still loads it the same way.
 */
export function loadKey(load: BrowserLoad): string {
  const spec = JSON.stringify([load.waitUntil, load.waitFor ?? null, load.actions]);
  return createHash("sha256").update(spec).digest("hex").slice(0, 16);
}
