/**
 * The one rule between the database's columns and the records the stores return: a column
 * `started_at` is the field `startedAt`, its value as stored. Each store's mapper only says what
 * differs (JSON columns, renamed or grouped columns).
 */

/** `heap_used` → `heapUsed`, as a type. */
type CamelCase<Name extends string> = Name extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : Name;

/** A row type with its snake_case columns named as camelCase fields. */
export type CamelRow<Row> = { [Column in keyof Row & string as CamelCase<Column>]: Row[Column] };

/** Field names by column name: a few dozen columns, converted once each. */
const fieldNames = new Map<string, string>();

function fieldName(column: string): string {
  let name = fieldNames.get(column);
  if (name === undefined) {
    name = column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
    fieldNames.set(column, name);
  }
  return name;
}

/**
 * A row as a record: every column under its camelCase name (`run_id` → `runId`), in the row's
 * order, its value unchanged. The row must hold only the record's columns (select them, or take
 * the others out first), since each one becomes a field.
 */
export function camelRow<Row extends object>(row: Row): CamelRow<Row> {
  const record: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) record[fieldName(column)] = value;
  return record as CamelRow<Row>;
}
