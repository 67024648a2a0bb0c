import type { RunStatus } from "../core/events.ts";

/**
 * Which states each action may start from. Only the engine applies them; everybody else asks.
 * A stopped run is `paused` with no owner: resumable, like an `interrupted` one.
 */
export const ALLOWED_FROM = {
  start: ["queued"],
  pause: ["running"],
  resume: ["paused", "interrupted"],
  stop: ["running", "paused"],
  cancel: ["queued", "running", "paused", "interrupted"],
  interrupt: ["queued", "running", "paused"],
} as const satisfies Record<string, readonly RunStatus[]>;

export type RunAction = keyof typeof ALLOWED_FROM;

/** True when `action` is allowed while a run is `status`. */
export function canApply(action: RunAction, status: RunStatus): boolean {
  return (ALLOWED_FROM[action] as readonly RunStatus[]).includes(status);
}

/** States from which `trawl resume` continues a run. */
export const RESUMABLE: readonly RunStatus[] = ["paused", "interrupted"];
