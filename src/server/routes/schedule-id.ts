import { Type } from "typebox";

/** The `:id` path parameter of every schedule route. */
export const ScheduleId = Type.Object({ id: Type.String({ description: "schedule id, SCH-XXXXXX" }) });
