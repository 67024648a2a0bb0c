/**
 * When a crawl that yielded nothing is the selectors' fault (see `EmptyCrawlError`): the page
 * types that should have yielded records and did not because a selector matched nothing, as
 * opposed to a crawl that a limit (`max_depth`, `max_pages`) or failed requests kept short.
 */
import type { PageTypeHealth } from "../core/contract/runs.ts";
import type { CompiledPage } from "../pipeline/index.ts";

/** What the decision reads besides the selector health. */
export interface CrawlYield {
  pages: Record<string, CompiledPage>;
  /** Records the crawl stored (exact, from the queue). */
  records: number;
  /** Whether the health counted every fetched page (not so after a crash or for an older run). */
  counted: boolean;
}

/**
 * A page type whose records are hollow: it yielded none, or (declared fields, no `parse` hook)
 * not one of its CSS fields found a value on any page. Types that yield no records are hollow.
 */
function isHollow(type: PageTypeHealth, page: CompiledPage | undefined): boolean {
  if (!page?.yieldsRecords || type.records === 0) return true;
  const fields = type.selectors.filter((s) => s.kind === "field");
  return page.declarative !== undefined && fields.length > 0 && fields.every((s) => s.pages === 0);
}

/**
 * Page types never fetched because every follow rule toward them matched nothing, on pages that
 * were fetched or on types themselves cut off (a least fixpoint: a cycle of unfetched types is
 * not cut off). A type no rule leads to (links from a `parse` hook) is not.
 */
function cutOffTypes(health: readonly PageTypeHealth[]): Set<string> {
  const cut = new Set<string>();
  const unfetched = health.filter((type) => type.pages === 0).map((type) => type.pageType);
  const rulesToward = (target: string) =>
    health.flatMap((from) =>
      from.selectors.filter((s) => s.kind === "follow" && s.name === target).map((rule) => ({ from, rule })),
    );
  for (let changed = true; changed;) {
    changed = false;
    for (const target of unfetched) {
      if (cut.has(target)) continue;
      const rules = rulesToward(target);
      const blocked = rules.every(({ from, rule }) =>
        from.pages > 0 ? rule.pages === 0 : cut.has(from.pageType),
      );
      if (rules.length > 0 && blocked) {
        cut.add(target);
        changed = true;
      }
    }
  }
  return cut;
}

/**
 * The page types to name when a crawl yielded nothing because of its selectors, else `null`: it
 * yielded records with values, or it yielded nothing only because of limits or failures.
 * Named: every fetched page type, and the record types the selectors cut off.
 */
export function emptyCrawlCulprits(
  health: readonly PageTypeHealth[],
  crawl: CrawlYield,
): PageTypeHealth[] | null {
  const hollow = (type: PageTypeHealth) => isHollow(type, crawl.pages[type.pageType]);
  const empty = crawl.records === 0 || (crawl.counted && health.every(hollow));
  if (!empty) return null;
  const yields = (type: PageTypeHealth) => crawl.pages[type.pageType]?.yieldsRecords === true;
  const cut = cutOffTypes(health);
  const failed = health.filter((type) => yields(type) && (type.pages > 0 || cut.has(type.pageType)));
  if (failed.length === 0) return null;
  return health.filter((type) => type.pages > 0 || failed.includes(type));
}
