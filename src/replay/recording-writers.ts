/**
 * The WARC and HAR writers of a recording. They load warcio, which most commands never need, so
 * each loads its module on first use.
 */
import type * as HarExport from "./har-export.ts";
import type * as WarcExport from "./warc-export.ts";

/** Writes a recording as a WARC file (see `warc-export.ts`). */
export async function writeWarc(
  ...args: Parameters<typeof WarcExport.writeWarc>
): ReturnType<typeof WarcExport.writeWarc> {
  return (await import("./warc-export.ts")).writeWarc(...args);
}

/** Writes a recording as a HAR file (see `har-export.ts`). */
export async function writeHar(
  ...args: Parameters<typeof HarExport.writeHar>
): ReturnType<typeof HarExport.writeHar> {
  return (await import("./har-export.ts")).writeHar(...args);
}
