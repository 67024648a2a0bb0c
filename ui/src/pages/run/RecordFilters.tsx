import { useState, type FormEvent } from "react";
import { RECORD_FILTER_OPS, type RecordFilterOp } from "../../api/types.ts";
import { OP_LABELS, VALUELESS, type FieldFilter } from "./records-query.ts";

/**
 * The records table's field filters: a form that adds one (field, operator, value) and the active
 * filters as chips, each removed by its ✕ button. Every filter must hold.
 */
export function RecordFilters({
  fields,
  filters,
  onChange,
}: {
  fields: string[];
  filters: FieldFilter[];
  onChange(filters: FieldFilter[]): void;
}) {
  const [field, setField] = useState("");
  const [op, setOp] = useState<RecordFilterOp>("eq");
  const [value, setValue] = useState("");
  const chosen = field || fields[0] || "";
  const needsValue = !VALUELESS.includes(op);

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen || (needsValue && value === "")) return;
    onChange([...filters, { field: chosen, op, value: needsValue ? value : "" }]);
    setValue("");
  };

  return (
    <div className="record-filters">
      <form className="toolbar" onSubmit={add} aria-label="Add a filter">
        <select
          value={chosen}
          onChange={(e) => setField(e.target.value)}
          aria-label="Filter field"
          data-testid="records-filter-field"
        >
          {fields.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <select
          value={op}
          onChange={(e) => setOp(e.target.value as RecordFilterOp)}
          aria-label="Filter operator"
          data-testid="records-filter-op"
        >
          {RECORD_FILTER_OPS.map((name) => (
            <option key={name} value={name}>
              {OP_LABELS[name]}
            </option>
          ))}
        </select>
        {needsValue && (
          <input
            type="text"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="value"
            aria-label="Filter value"
            data-testid="records-filter-value"
          />
        )}
        <button
          type="submit"
          className="button"
          disabled={!chosen || (needsValue && value === "")}
          data-testid="records-filter-add"
        >
          Add filter
        </button>
      </form>
      <FilterChips filters={filters} onChange={onChange} />
    </div>
  );
}

/** The active filters as chips, each removed by its ✕ button; nothing when there are none. */
function FilterChips({
  filters,
  onChange,
}: {
  filters: FieldFilter[];
  onChange(filters: FieldFilter[]): void;
}) {
  if (filters.length === 0) return null;
  return (
    <div className="chips" role="group" aria-label="Active filters">
      {filters.map((filter, index) => (
        <span key={index} className="chip" data-testid="records-filter">
          {filter.field} {OP_LABELS[filter.op]}
          {VALUELESS.includes(filter.op) ? "" : ` "${filter.value}"`}{" "}
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove the filter on ${filter.field}`}
            onClick={() => onChange(filters.filter((_, i) => i !== index))}
            data-testid="records-filter-remove"
          >
            ✕
          </button>
        </span>
      ))}
    </div>
  );
}
