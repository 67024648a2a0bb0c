/** Browser actions and the login sequence, from their schema form to `PageAction`s. */
import type { z } from "zod";
import type { actionSchema, loginSchema } from "./action-schema.ts";
import { envNamesIn, secretNamesIn } from "../fetch/index.ts";
import type { LoginSequence, PageAction } from "../fetch/index.ts";
import { DURATION_PATTERN, parseDuration } from "./units.ts";

type ActionEntry = z.output<typeof actionSchema>;

/** How long a scroll waits for the page to grow when nothing is said. */
const SCROLL_WAIT_MS = 1000;
/** Scrolls at most, when scrolling until the page stops growing. */
const SCROLL_MAX = 50;

/** Compiles an action the schema checked (exactly one key is set). */
export function compileAction(entry: ActionEntry): PageAction {
  if (entry.click !== undefined) return { type: "click", selector: entry.click };
  if (entry.fill !== undefined) return { type: "fill", ...entry.fill };
  if (entry.select !== undefined) return { type: "select", ...entry.select };
  if (entry.press !== undefined) {
    return typeof entry.press === "string"
      ? { type: "press", key: entry.press }
      : { type: "press", ...entry.press };
  }
  if (entry.scroll !== undefined) {
    const scroll = entry.scroll === "bottom" ? {} : entry.scroll;
    const untilStable = scroll.until === "no_new_content";
    return {
      type: "scroll",
      times: scroll.times ?? scroll.max ?? (untilStable ? SCROLL_MAX : 1),
      untilStable,
      waitMs: scroll.wait !== undefined ? parseDuration(scroll.wait) : SCROLL_WAIT_MS,
    };
  }
  if (entry.wait !== undefined) {
    const wait = entry.wait;
    if (typeof wait === "number") return { type: "wait", ms: wait };
    if (typeof wait === "string")
      return DURATION_PATTERN.test(wait.trim())
        ? { type: "wait", ms: parseDuration(wait) }
        : { type: "wait", selector: wait };
    return {
      type: "wait",
      ...(wait.selector !== undefined && { selector: wait.selector }),
      ...(wait.time !== undefined && { ms: parseDuration(wait.time) }),
    };
  }
  return { type: "evaluate", script: entry.evaluate! };
}

export function compileLogin(login: z.output<typeof loginSchema>): LoginSequence {
  return {
    url: login.url,
    actions: login.actions.map(compileAction),
    ...(login.logged_in !== undefined && { loggedIn: login.logged_in }),
  };
}

/** The environment variables some actions read. */
export function envNamesOf(actions: readonly PageAction[]): string[] {
  return actions.flatMap((action) => ("value" in action ? envNamesIn(action.value) : []));
}

/** The secrets some actions read. */
export function secretNamesOf(actions: readonly PageAction[]): string[] {
  return actions.flatMap((action) => ("value" in action ? secretNamesIn(action.value) : []));
}
