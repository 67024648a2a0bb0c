/** Building blocks of the contract's schemas. */
import { Type, type TSchema } from "typebox";

/** An instant as ISO 8601 in UTC: `2026-12-06T09:00:00.000Z`. */
export const Instant = Type.String({ format: "date-time" });

/** `schema`, or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
