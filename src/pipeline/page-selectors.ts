/**
 * The selectors of a page type, as two consumers need them: selector health (which of them
 * matched, counted per page) and the browser's auto-wait (which of them must match before the
 * page is read). Both are derived once from the declarative spec, in declaration order.
 */
import { eachOptions, fieldOptions, type FieldMap } from "../extract/index.ts";
import type { DeclarativePage, SelectorSlot } from "./types.ts";
import type { ReadyCheck } from "../fetch/index.ts";

/**
 * Fields read with a selector: CSS, XPath or JSONPath (`from:` fields and scope-only fields match by
 * construction), each with the selector's text.
 */
function selectorFields(fields: FieldMap): { name: string; selector: string }[] {
  return Object.entries(fields).flatMap(([name, spec]) => {
    const { css, xpath, json } = fieldOptions(spec);
    const selector = css ?? xpath ?? json;
    return selector === undefined ? [] : [{ name, selector }];
  });
}

/** Fields read with a CSS selector (the browser can wait for those). */
function cssFields(fields: FieldMap): { name: string; css: string; attr?: string }[] {
  return Object.entries(fields).flatMap(([name, spec]) => {
    const { css, attr } = fieldOptions(spec);
    return css === undefined ? [] : [{ name, css, ...(attr !== undefined && { attr }) }];
  });
}

/** The fields of a page type's record(s), whatever the form. */
function fieldsOf(spec: DeclarativePage): FieldMap {
  return spec.record ?? spec.records?.fields ?? {};
}

/** The text of `records.each`: its CSS selector, XPath or JSONPath expression. */
function eachSelector(spec: DeclarativePage): string | undefined {
  if (!spec.records) return undefined;
  const { css, xpath, json } = eachOptions(spec.records.each);
  return css ?? xpath ?? json;
}

/**
 * The page type's selectors in a fixed order: `records.each`, then the fields read by a selector in
 * declaration order, then the follow rules. A page's match counts (`Extraction.matches`) are
 * indexed the same way, on whichever thread the page was parsed.
 */
export function selectorSlots(spec: DeclarativePage): SelectorSlot[] {
  const slots: SelectorSlot[] = [];
  const each = eachSelector(spec);
  if (each !== undefined) slots.push({ kind: "each", name: "each", selector: each });
  for (const { name, selector } of selectorFields(fieldsOf(spec)))
    slots.push({ kind: "field", name, selector });
  for (const rule of spec.follow ?? []) {
    const selector = [
      rule.css ?? rule.xpath ?? rule.json ?? rule.template,
      rule.pattern === undefined ? undefined : `/${rule.pattern}/`,
    ]
      .filter((part) => part !== undefined)
      .join(" ");
    slots.push({ kind: "follow", name: rule.page, selector });
  }
  return slots;
}

/**
 * What must be in a browser page before it is read (auto-wait): every CSS field with text (or its
 * attribute), inside a `records.each` element for several records; the `each` element itself;
 * and for every follow rule a link it would follow. Empty when the page type reads no selector.
 * XPath fields and rules are not waited for (the browser's check runs CSS selectors); with an
 * XPath `records.each`, CSS fields are waited for anywhere in the page.
 */
export function readyChecks(spec: DeclarativePage): ReadyCheck[] {
  const checks: ReadyCheck[] = [];
  const within = spec.records === undefined ? undefined : eachOptions(spec.records.each).css;
  if (within !== undefined) checks.push({ css: within, want: "element" });
  for (const { css, attr } of cssFields(fieldsOf(spec))) {
    const scope = within === undefined ? {} : { within };
    checks.push(attr === undefined ? { css, want: "text", ...scope } : { css, want: "attr", attr, ...scope });
  }
  for (const rule of spec.follow ?? []) {
    if (rule.xpath !== undefined || rule.template !== undefined) continue;
    checks.push({
      css: rule.css ?? "a[href]",
      want: "link",
      attr: rule.attr ?? "href",
      ...(rule.pattern !== undefined && { pattern: rule.pattern }),
    });
  }
  return checks;
}

/** Where a page type's matches go in `Extraction.matches` (see `selectorSlots`). */
export interface MatchLayout {
  size: number;
  /** Slot of each field, in declaration order; -1 for fields without a selector. */
  fieldSlots: number[];
  /** Slot of the first follow rule; the others follow it. */
  followAt: number;
  /** Whether a follow rule is a URL template (only then are template links computed). */
  templates: boolean;
}

const layouts = new WeakMap<DeclarativePage, MatchLayout>();

/** The layout of a spec, computed once per spec object (on each thread). */
export function layoutOf(spec: DeclarativePage): MatchLayout {
  let layout = layouts.get(spec);
  if (layout) return layout;
  const slots = selectorSlots(spec);
  const fieldSlot = new Map(slots.flatMap((slot, i) => (slot.kind === "field" ? [[slot.name, i]] : [])));
  const fields = spec.record ?? spec.records?.fields ?? {};
  layout = {
    size: slots.length,
    fieldSlots: Object.keys(fields).map((name) => fieldSlot.get(name) ?? -1),
    followAt: slots.length - (spec.follow?.length ?? 0),
    templates: spec.follow?.some((rule) => rule.template !== undefined) ?? false,
  };
  layouts.set(spec, layout);
  return layout;
}
