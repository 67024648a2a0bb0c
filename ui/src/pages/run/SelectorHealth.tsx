import type { PageTypeHealth, SelectorCount } from "../../api/types.ts";
import { formatNumber } from "../../lib/format.ts";

const FOUND_UNIT: Record<SelectorCount["kind"], string> = {
  each: "elements",
  field: "records",
  follow: "links",
};

function pagesOf(count: number): string {
  return `${formatNumber(count)} ${count === 1 ? "page" : "pages"}`;
}

/** `field title`, `records.each`, `follow → product`: what a selector is, beside its CSS. */
function label(selector: SelectorCount): string {
  if (selector.kind === "each") return "records.each";
  if (selector.kind === "field") return `field ${selector.name}`;
  return `follow → ${selector.name}`;
}

/**
 * Selector health of a run: per page type with pages, on how many of them each selector matched
 * and what it found. A selector that matched on none is marked: the site changed, or the page was
 * read before it was rendered.
 */
export function SelectorHealth({ health }: { health: readonly PageTypeHealth[] }) {
  const parsed = health.filter((type) => type.pages > 0);
  if (parsed.length === 0) return null;
  return (
    <>
      <h2>Selector health</h2>
      <table className="table compact" data-testid="selector-health">
        <thead>
          <tr>
            <th>Page type</th>
            <th>Selector</th>
            <th className="num">Matched on</th>
            <th className="num">Found</th>
          </tr>
        </thead>
        <tbody>
          {parsed.flatMap((type) =>
            type.selectors.map((selector, i) => {
              const unmatched = selector.pages === 0;
              return (
                <tr
                  key={`${type.pageType}/${i}`}
                  className={unmatched ? "selector-unmatched" : undefined}
                  data-testid="selector-row"
                  data-page-type={type.pageType}
                  data-unmatched={unmatched || undefined}
                >
                  <td>{i === 0 ? `${type.pageType} (${pagesOf(type.pages)})` : ""}</td>
                  <td>
                    {label(selector)} <span className="mono">{selector.selector}</span>
                  </td>
                  <td className="num" data-testid="selector-matched">
                    {unmatched ? "none" : `${formatNumber(selector.pages)} / ${formatNumber(type.pages)}`}
                  </td>
                  <td className="num">
                    {formatNumber(selector.found)} {FOUND_UNIT[selector.kind]}
                  </td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </>
  );
}
