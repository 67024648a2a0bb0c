/**
 * `{{ env.NAME }}` and `{{ secret.NAME }}` in action values, headers, cookies and proxy URLs, as a
 * definition may write them. The fetch layer fills them in when they are used (`resolveTemplate`).
 */
import { z } from "zod";
import { withoutTemplateReferences } from "../fetch/index.ts";

/** A string that may hold `{{ env.NAME }}` and `{{ secret.NAME }}` references and no other `{{ … }}`. */
export const templateSchema = z.string().superRefine((text, ctx) => {
  const rest = withoutTemplateReferences(text);
  if (rest.includes("{{") || rest.includes("}}")) {
    ctx.addIssue({
      code: "custom",
      message:
        'only "{{ env.NAME }}" (NAME: letters, digits, _) and "{{ secret.NAME }}" (a letter, then letters, digits, _, -) can be used inside {{ }}',
    });
  }
});
