/** pino-roll ships no types: the part of its API trawl uses (observe/process-log.ts). */
declare module "pino-roll" {
  import type SonicBoom from "sonic-boom";

  interface PinoRollOptions {
    /** The files' path without number and extension. */
    file: string;
    /** Rotate past this size: a number of MB, or `"10m"`, `"500k"`. */
    size?: string | number;
    /** Rotate at this interval: `"daily"`, `"hourly"` or milliseconds. */
    frequency?: "daily" | "hourly" | number;
    extension?: string;
    /** A date-fns format put in the names. */
    dateFormat?: string;
    /** Old files kept besides the current one. */
    limit?: { count: number; removeOtherLogFiles?: boolean };
    /** sonic-boom's: write synchronously. */
    sync?: boolean;
    mkdir?: boolean;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<SonicBoom>;
}
