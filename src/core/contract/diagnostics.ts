/**
 * The diagnostics bundle as the API makes it (POST /api/diagnostics, a zip download) and the web
 * app asks for it. Imports nothing but TypeBox, so the web app can import it too.
 */
import { Type, type Static } from "typebox";

/** The query of POST /api/diagnostics. */
export const DiagnosticsQuerySchema = Type.Object(
  {
    /**
     * How to check the database: `quick` (`quick_check`, fast at millions of records) or `full`
     * (`integrity_check`, every index too). @defaultValue quick
     */
    check: Type.Optional(Type.Union([Type.Literal("quick"), Type.Literal("full")])),
  },
  { additionalProperties: false },
);
export type DiagnosticsQuery = Static<typeof DiagnosticsQuerySchema>;
