/**
 * The difference of two lists of records: matched by a record key when there is one, else by
 * position. Nothing is guessed: without a key, record i of A is compared with record i of B, and
 * the diff says so (`match: "position"`).
 */
import type { ChangedRecord, FieldChange, RecordDiff } from "../core/contract/compare.ts";

type Json = Record<string, unknown>;

/** Most records listed per kind of difference; `counts` are exact. */
export const MAX_LISTED = 1000;

/**
 * Compares records `a` (older) with `b` (newer). With `key` (a non-empty list of fields), records
 * are matched by the values of those fields: a key that occurs more than once is matched in order
 * of occurrence, and a record with no value for any key field matches nothing (it counts as added
 * or removed); both are reported in `warnings`. Without a key, records are matched by position.
 */
export function diffRecords(
  a: readonly Json[],
  b: readonly Json[],
  key: readonly string[] | null,
): RecordDiff {
  return key && key.length > 0 ? diffByKey(a, b, [...key]) : diffByPosition(a, b);
}

/** Accumulates the differences, listing at most {@link MAX_LISTED} of each kind. */
class Collector {
  readonly added: Json[] = [];
  readonly removed: Json[] = [];
  readonly changed: ChangedRecord[] = [];
  readonly counts = { added: 0, removed: 0, changed: 0 };
  unchanged = 0;

  add(record: Json): void {
    if (this.counts.added++ < MAX_LISTED) this.added.push(record);
  }

  remove(record: Json): void {
    if (this.counts.removed++ < MAX_LISTED) this.removed.push(record);
  }

  compare(old: Json, record: Json, label: string, position: number): void {
    const fields = fieldChanges(old, record);
    if (fields.length === 0) this.unchanged++;
    else if (this.counts.changed++ < MAX_LISTED) this.changed.push({ key: label, position, record, fields });
  }

  result(match: RecordDiff["match"], key: string[] | null, warnings: string[]): RecordDiff {
    const { added, removed, changed, unchanged, counts } = this;
    return { match, key, records: { added, removed, changed, unchanged, counts }, warnings };
  }
}

function diffByPosition(a: readonly Json[], b: readonly Json[]): RecordDiff {
  const diff = new Collector();
  b.forEach((record, i) => {
    const old = a[i];
    if (old === undefined) diff.add(record);
    else diff.compare(old, record, `#${i + 1}`, i);
  });
  a.slice(b.length).forEach((record) => diff.remove(record));
  return diff.result("position", null, []);
}

function diffByKey(a: readonly Json[], b: readonly Json[], key: string[]): RecordDiff {
  const diff = new Collector();
  const before = new Map<string, Json[]>();
  const unkeyed = { a: 0, b: 0 };
  for (const record of a) {
    const k = keyOf(record, key);
    if (k === null) {
      unkeyed.a++;
      diff.remove(record);
    } else {
      const list = before.get(k);
      if (list) list.push(record);
      else before.set(k, [record]);
    }
  }
  const duplicates = { a: [...before.values()].filter((list) => list.length > 1).length, b: 0 };
  const seen = new Map<string, number>();
  b.forEach((record, i) => {
    const k = keyOf(record, key);
    if (k === null) {
      unkeyed.b++;
      return diff.add(record);
    }
    const occurrences = (seen.get(k) ?? 0) + 1;
    seen.set(k, occurrences);
    if (occurrences === 2) duplicates.b++;
    const old = before.get(k)?.shift();
    if (old === undefined) diff.add(record);
    else diff.compare(old, record, key.map((f) => text(record[f])).join(" / "), i);
  });
  for (const rest of before.values()) rest.forEach((record) => diff.remove(record));
  return diff.result("key", key, keyWarnings(key, unkeyed, duplicates, { a: a.length, b: b.length }));
}

type Sides = { a: number; b: number };

function keyWarnings(key: string[], unkeyed: Sides, duplicates: Sides, sizes: Sides): string[] {
  const fields = key.join(", ");
  const warnings: string[] = [];
  for (const side of ["a", "b"] as const) {
    const name = side.toUpperCase();
    if (unkeyed[side] > 0)
      warnings.push(
        `${unkeyed[side]} of ${sizes[side]} records of ${name} have no value for the key (${fields}): ` +
          `they match nothing and count as ${side === "a" ? "removed" : "added"}`,
      );
    if (duplicates[side] > 0)
      warnings.push(
        `${duplicates[side]} key value${duplicates[side] === 1 ? " occurs" : "s occur"} more than once in ` +
          `${name}: such records are matched in order of occurrence`,
      );
  }
  return warnings;
}

/** A record's key, or null when no key field has a value (such a record matches nothing). */
function keyOf(record: Json, key: readonly string[]): string | null {
  const values = key.map((f) => record[f] ?? null);
  return values.every((v) => v === null) ? null : JSON.stringify(values);
}

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The fields whose values differ; a missing field and `null` are the same (no value). */
function fieldChanges(a: Json, b: Json): FieldChange[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return names.flatMap((field): FieldChange[] => {
    const before = a[field] ?? null;
    const after = b[field] ?? null;
    if (JSON.stringify(before) === JSON.stringify(after)) return [];
    const change = before === null ? "added" : after === null ? "removed" : "changed";
    return [{ field, change, a: before, b: after }];
  });
}
