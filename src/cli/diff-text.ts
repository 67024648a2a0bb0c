/** Record diffs as text lines, for `trawl compare` and `trawl replay`. */
import type { ChangedRecord, FieldChange, RecordDiff } from "../core/contract/compare.ts";

/** How records were matched: `by key sku`, or `by position (no key)`. */
export function matchText(diff: Pick<RecordDiff, "match" | "key">): string {
  return diff.match === "key" && diff.key ? `by key ${diff.key.join(", ")}` : "by position (no key)";
}

/** One field change: `price: 12.5 → 13`, `+tags: ["new"]`, `-isbn: "123"`. */
export function fieldChangeText(change: FieldChange): string {
  if (change.change === "added") return `+${change.field}: ${JSON.stringify(change.b)}`;
  if (change.change === "removed") return `-${change.field}: ${JSON.stringify(change.a)}`;
  return `${change.field}: ${JSON.stringify(change.a)} → ${JSON.stringify(change.b)}`;
}

/** A changed record on one line: `~ key: field: a → b; …`. */
export function changedRecordText(record: ChangedRecord): string {
  return `  ~ ${record.key}: ${record.fields.map(fieldChangeText).join("; ")}`;
}
