/**
 * The secrets vault as the API serves it (GET /api/secrets, PUT and DELETE
 * /api/secrets/:name), `trawl secrets` prints it and the web app reads it: names and dates only.
 * A value goes in (PUT) and never comes out. Imports nothing but TypeBox, so the web app can
 * import it too.
 */
import { Type, type Static } from "typebox";

/** A secret as listed: never its value. */
export const SecretSummarySchema = Type.Object({
  name: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
  /** When its value was last set. */
  updatedAt: Type.String({ format: "date-time" }),
});
export type SecretSummary = Static<typeof SecretSummarySchema>;

/** Every secret, by name. */
export const SecretListSchema = Type.Object({ secrets: Type.Array(SecretSummarySchema) });
export type SecretList = Static<typeof SecretListSchema>;

/** The body of PUT /api/secrets/:name: the value (write-only). */
export const SecretValueSchema = Type.Object(
  { value: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
export type SecretValue = Static<typeof SecretValueSchema>;

/** A secret set: `created` is false when it existed and its value was replaced. */
export const SecretSetSchema = Type.Object({ name: Type.String(), created: Type.Boolean() });
export type SecretSet = Static<typeof SecretSetSchema>;

/** A secret deleted. */
export const SecretDeletedSchema = Type.Object({ name: Type.String(), deleted: Type.Literal(true) });
export type SecretDeleted = Static<typeof SecretDeletedSchema>;
