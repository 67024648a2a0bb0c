/**
 * `{{ env.NAME }}` and `{{ secret.NAME }}` in action values, headers, cookies, proxy URLs, start URLs
 * and POST forms, as a definition may write them. The fetch layer fills them in when they are used
 * (`resolveTemplate`, `wireRequest`).
 */
import { z } from "zod";
import { withoutTemplateReferences } from "../fetch/index.ts";
import { httpUrlSchema } from "./schema-primitives.ts";

/** Refuses a `{{ … }}` that is not an `env` or `secret` reference (a typo would be sent as written). */
function onlyReferences(text: string, ctx: z.core.$RefinementCtx<string>): void {
  const rest = withoutTemplateReferences(text);
  if (rest.includes("{{") || rest.includes("}}")) {
    ctx.addIssue({
      code: "custom",
      message:
        'only "{{ env.NAME }}" (NAME: letters, digits, _) and "{{ secret.NAME }}" (a letter, then letters, digits, _, -) can be used inside {{ }}',
    });
  }
}

/** A string that may hold `{{ env.NAME }}` and `{{ secret.NAME }}` references and no other `{{ … }}`. */
export const templateSchema = z.string().superRefine(onlyReferences);

/** A start URL, `{{ env.NAME }}` and `{{ secret.NAME }}` allowed (an API key in a query string). */
export const templatedUrlSchema = httpUrlSchema.superRefine(onlyReferences);
