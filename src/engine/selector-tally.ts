/**
 * Selector health, counted as the crawl parses pages: per page type, its pages, their records and
 * what each selector matched. Counting is a few additions per page on the crawl's thread (the
 * match counts come back with each page's extraction, from whichever thread parsed it); the
 * totals are kept with the run's statistics, so a resumed run goes on from them.
 */
import type { PageTypeHealth, SelectorCount } from "../core/contract/runs.ts";
import type { CompiledPage, PageOutput } from "../pipeline/index.ts";

interface PageTypeCounts {
  pages: number;
  records: number;
  selectors: SelectorCount[];
}

const sameSelector = (a: SelectorCount, b: SelectorCount) =>
  a.kind === b.kind && a.name === b.name && a.selector === b.selector;

/** Counts per page type, in the definition's order. */
export class SelectorTally {
  private readonly types = new Map<string, PageTypeCounts>();

  /**
   * @param previous - The counts a run stored before (resume): kept for selectors the definition
   *   still has, by page type, kind, name and selector.
   */
  constructor(pages: Record<string, CompiledPage>, previous: readonly PageTypeHealth[] = []) {
    for (const page of Object.values(pages)) {
      const before = previous.find((p) => p.pageType === page.name);
      const selectors = (page.selectors ?? []).map((slot) => {
        const fresh: SelectorCount = { ...slot, pages: 0, found: 0 };
        const kept = before?.selectors.find((s) => sameSelector(s, fresh));
        return kept ? { ...fresh, pages: kept.pages, found: kept.found } : fresh;
      });
      this.types.set(page.name, { pages: before?.pages ?? 0, records: before?.records ?? 0, selectors });
    }
  }

  /** Counts one parsed page of `pageType`. */
  count(pageType: string, output: PageOutput): void {
    const counts = this.types.get(pageType);
    if (!counts) return;
    counts.pages++;
    counts.records += output.records.length;
    const matches = output.matches;
    if (!matches) return;
    const { selectors } = counts;
    for (let i = 0; i < selectors.length; i++) {
      const n = matches[i] ?? 0;
      if (n > 0) {
        selectors[i]!.pages++;
        selectors[i]!.found += n;
      }
    }
  }

  /** Pages counted over all page types. */
  pages(): number {
    let total = 0;
    for (const counts of this.types.values()) total += counts.pages;
    return total;
  }

  /** A copy of the counts, every page type of the definition included. */
  snapshot(): PageTypeHealth[] {
    return [...this.types].map(([pageType, { pages, records, selectors }]) => ({
      pageType,
      pages,
      records,
      selectors: selectors.map((s) => ({ ...s })),
    }));
  }
}

/** `page type "product": field price (.price) matched on none of its 12 pages`, one per selector. */
export function unmatchedSelectors(health: readonly PageTypeHealth[]): string[] {
  return health.flatMap(({ pageType, pages, selectors }) =>
    pages === 0
      ? []
      : selectors
          .filter((s) => s.pages === 0)
          .map(
            (s) => `page type "${pageType}": ${describeSelector(s)} matched on none of its ${pagesOf(pages)}`,
          ),
  );
}

/** `1 page`, `12 pages`. */
export function pagesOf(count: number): string {
  return `${count} ${count === 1 ? "page" : "pages"}`;
}

/** `field price (.price)`, `records.each (li.item)`, `follow rule a.next → list`. */
export function describeSelector(selector: SelectorCount): string {
  switch (selector.kind) {
    case "each":
      return `records.each (${selector.selector})`;
    case "field":
      return `field ${selector.name} (${selector.selector})`;
    case "follow":
      return `follow rule ${selector.selector} → ${selector.name}`;
  }
}
