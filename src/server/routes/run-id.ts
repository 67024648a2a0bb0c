import { Type } from "typebox";

/** The `:id` path parameter of every run route. */
export const RunId = Type.Object({ id: Type.String({ description: "run id, RUN-YYYYMMDD-XXXXXX" }) });
