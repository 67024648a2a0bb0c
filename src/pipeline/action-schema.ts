/** Schemas of browser page actions and the login sequence; see docs/scraper-format.md § Page actions. */
import { z } from "zod";
import { cssSchema, durationSchema, httpUrlSchema } from "./schema-primitives.ts";
import { templateSchema } from "./template.ts";

const selectorValue = z.strictObject({ selector: cssSchema, value: templateSchema });

/** `scroll: bottom`, or how often / until when. */
const scrollSchema = z.union([
  z.literal("bottom"),
  z.strictObject({
    /** Scroll to the bottom this many times. */
    times: z.number().int().min(1).max(1000).optional(),
    /** Keep scrolling until the page stops growing (at most `max` times). */
    until: z.literal("no_new_content").optional(),
    max: z.number().int().min(1).max(1000).optional(),
    /** How long to wait for new content after each scroll. */
    wait: durationSchema.optional(),
  }),
]);

/** `wait: ".selector"`, `wait: 500` (ms), `wait: "2s"`, or the long form. */
const waitSchema = z.union([
  durationSchema,
  cssSchema,
  z.strictObject({ selector: cssSchema.optional(), time: durationSchema.optional() }),
]);

/** One page action: an object with exactly one of these keys. */
export const actionSchema = z.union([
  z.strictObject({ click: cssSchema }),
  z.strictObject({ fill: selectorValue }),
  z.strictObject({ select: selectorValue }),
  z.strictObject({
    press: z.union([
      z.string().min(1),
      z.strictObject({ key: z.string().min(1), selector: cssSchema.optional() }),
    ]),
  }),
  z.strictObject({ scroll: scrollSchema }),
  z.strictObject({ wait: waitSchema }),
  z.strictObject({ evaluate: z.string().min(1) }),
]);

/** A login sequence, run once per session before the first browser page. */
export const loginSchema = z.strictObject({
  url: httpUrlSchema,
  actions: z.array(actionSchema).min(1),
  /** Present only when logged in: a saved session showing it is reused without logging in again. */
  logged_in: cssSchema.optional(),
});
