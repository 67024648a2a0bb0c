/**
 * `{{ env.NAME }}` in action values, as a definition may write them. The fetch layer fills them in
 * when an action runs (`resolveTemplate`).
 */
import { z } from "zod";
import { withoutEnvReferences } from "../fetch/index.ts";

/** A string that may hold `{{ env.NAME }}` references and no other `{{ … }}`. */
export const templateSchema = z.string().superRefine((text, ctx) => {
  const rest = withoutEnvReferences(text);
  if (rest.includes("{{") || rest.includes("}}")) {
    ctx.addIssue({
      code: "custom",
      message: 'only "{{ env.NAME }}" can be used inside {{ }} (NAME: letters, digits, _)',
    });
  }
});
