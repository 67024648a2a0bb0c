/** Schemas of browser page actions and the login sequence; see docs/scraper-format.md § Page actions. */
import { z } from "zod";
import { cssSchema, durationSchema, httpUrlSchema } from "./schema-primitives.ts";
import { templateSchema } from "./template.ts";

const selectorValue = z.strictObject({ selector: cssSchema, value: templateSchema });

/** `scroll: bottom`, or how often / until when. */
const SCROLL_FORMS = 'expected "bottom" or { times, until: no_new_content, max, wait }';
const scrollSchema = z.union(
  [
    z.literal("bottom", { error: SCROLL_FORMS }),
    z.strictObject({
      /** Scroll to the bottom this many times. */
      times: z.number().int().min(1).max(1000).optional(),
      /** Keep scrolling until the page stops growing (at most `max` times). */
      until: z.literal("no_new_content").optional(),
      max: z.number().int().min(1).max(1000).optional(),
      /** How long to wait for new content after each scroll. */
      wait: durationSchema.optional(),
    }),
  ],
  { error: SCROLL_FORMS },
);

/** `wait: ".selector"`, `wait: 500` (ms), `wait: "2s"`, or the long form. */
const waitSchema = z.union(
  [
    durationSchema,
    cssSchema,
    z.strictObject({ selector: cssSchema.optional(), time: durationSchema.optional() }),
  ],
  { error: 'expected a CSS selector, a duration ("2s", 500), or { selector, time }' },
);

const pressSchema = z.union(
  [z.string().min(1), z.strictObject({ key: z.string().min(1), selector: cssSchema.optional() })],
  { error: 'expected a key ("Enter") or { key, selector }' },
);

const ACTION_KEYS = ["click", "fill", "select", "press", "scroll", "wait", "evaluate"] as const;

/** One page action: an object with exactly one of the keys in {@link ACTION_KEYS}. */
export const actionSchema = z
  .strictObject({
    click: cssSchema.optional(),
    fill: selectorValue.optional(),
    select: selectorValue.optional(),
    press: pressSchema.optional(),
    scroll: scrollSchema.optional(),
    wait: waitSchema.optional(),
    evaluate: z.string().min(1).optional(),
  })
  .superRefine((action, ctx) => {
    const keys = ACTION_KEYS.filter((key) => action[key] !== undefined);
    if (keys.length === 1) return;
    const message =
      keys.length === 0
        ? `an action needs one of ${ACTION_KEYS.join(", ")}`
        : `one action per list item: found ${keys.join(" and ")}`;
    ctx.addIssue({ code: "custom", message });
  });

/** A login sequence, run once per session before the first browser page. */
export const loginSchema = z.strictObject({
  url: httpUrlSchema,
  actions: z.array(actionSchema).min(1),
  /** Present only when logged in: a saved session showing it is reused without logging in again. */
  logged_in: cssSchema.optional(),
});
