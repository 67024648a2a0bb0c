import type { PageTypeHealth } from "../core/contract/runs.ts";
import { describeSelector, pagesOf } from "../engine/index.ts";
import { printTable } from "./output.ts";

const FOUND_UNIT = { each: "elements", field: "records", follow: "links" } as const;

/**
 * `trawl show`'s selector health: per page type with pages, each selector's pages matched out of
 * the type's pages and what it found; a selector that matched on none is marked `NONE`.
 */
export function printSelectorHealth(health: readonly PageTypeHealth[]): void {
  const rows = health.flatMap(({ pageType, pages, records, selectors }) => [
    [pageType, `(${pagesOf(pages)}, ${records} records)`, "", ""],
    ...(pages === 0
      ? []
      : selectors.map((s) => [
          "",
          describeSelector(s),
          s.pages === 0 ? `NONE of ${pages}` : `${s.pages}/${pages}`,
          `${s.found} ${FOUND_UNIT[s.kind]}`,
        ])),
  ]);
  if (rows.length === 0) return;
  process.stdout.write("\nselector health:\n");
  printTable(["page type", "selector", "matched on", "found"], rows);
}
