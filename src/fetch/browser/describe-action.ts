import type { PageAction } from "../settings.ts";

/** Describes an action for logs and recordings: templates shown as written, never their values. */
export function describeAction(action: PageAction): string {
  switch (action.type) {
    case "click":
      return `click ${action.selector}`;
    case "fill":
      return `fill ${action.selector} with ${JSON.stringify(action.value)}`;
    case "select":
      return `select ${JSON.stringify(action.value)} in ${action.selector}`;
    case "press":
      return `press ${action.key}${action.selector ? ` in ${action.selector}` : ""}`;
    case "scroll":
      return action.untilStable
        ? `scroll until no new content (at most ${action.times})`
        : `scroll to the bottom ×${action.times}`;
    case "wait":
      return action.selector ? `wait for ${action.selector}` : `wait ${action.ms} ms`;
    case "evaluate":
      return `evaluate ${action.script.length > 60 ? `${action.script.slice(0, 57)}…` : action.script}`;
  }
}
