/**
 * The selectors of a page type, as two consumers need them: selector health (which of them
 * matched, counted per page) and the browser's auto-wait (which of them must match before the
 * page is read). Both are derived once from the declarative spec, in declaration order.
 */
import { fieldOptions, type FieldMap } from "../extract/index.ts";
import type { DeclarativePage, SelectorSlot } from "./types.ts";
import type { ReadyCheck } from "../fetch/index.ts";

/** Fields read with a CSS selector (`from:` fields and scope-only fields match by construction). */
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

/**
 * The page type's selectors in a fixed order: `records.each`, then the CSS fields in
 * declaration order, then the follow rules. A page's match counts (`Extraction.matches`) are
 * indexed the same way, on whichever thread the page was parsed.
 */
export function selectorSlots(spec: DeclarativePage): SelectorSlot[] {
  const slots: SelectorSlot[] = [];
  if (spec.records) slots.push({ kind: "each", name: "each", selector: spec.records.each });
  for (const { name, css } of cssFields(fieldsOf(spec))) slots.push({ kind: "field", name, selector: css });
  for (const rule of spec.follow ?? []) {
    const selector = [rule.css, rule.pattern === undefined ? undefined : `/${rule.pattern}/`]
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
 */
export function readyChecks(spec: DeclarativePage): ReadyCheck[] {
  const checks: ReadyCheck[] = [];
  const within = spec.records?.each;
  if (within !== undefined) checks.push({ css: within, want: "element" });
  for (const { css, attr } of cssFields(fieldsOf(spec))) {
    const scope = within === undefined ? {} : { within };
    checks.push(attr === undefined ? { css, want: "text", ...scope } : { css, want: "attr", attr, ...scope });
  }
  for (const rule of spec.follow ?? []) {
    checks.push({
      css: rule.css ?? "a[href]",
      want: "link",
      attr: rule.attr ?? "href",
      ...(rule.pattern !== undefined && { pattern: rule.pattern }),
    });
  }
  return checks;
}
