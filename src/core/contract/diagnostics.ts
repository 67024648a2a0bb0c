/**
 * The diagnostics bundle as the API makes it (POST /api/diagnostics, a zip download) and the web
 * app asks for it. Imports nothing but TypeBox, so the web app can import it too.
 */
import { Type, type Static } from "typebox";

/** The query of POST /api/diagnostics. */
export const DiagnosticsQuerySchema = Type.Object(
  {
    /**
     * How to check the database: `full` (`integrity_check`) or `quick` (`quick_check`: every page
     * and b-tree, not whether the indexes agree with their tables). @defaultValue full
     */
    check: Type.Optional(Type.Union([Type.Literal("quick"), Type.Literal("full")])),
  },
  { additionalProperties: false },
);
export type DiagnosticsQuery = Static<typeof DiagnosticsQuerySchema>;
