import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Link } from "react-router";
import { useRecords } from "../../api/queries.ts";
import { ErrorMessage } from "../../components/Feedback.tsx";
import { cellText, formatNumber } from "../../lib/format.ts";

type Row = Record<string, unknown>;
const PAGE_SIZES = [25, 50, 100, 250];

/**
 * The run's records, a page at a time from the server; sorting and search act on that page.
 * With `sources` (the run recorded its pages), each row links to the page it came from.
 */
export function RecordsTable({
  runId,
  total: totalHint,
  sources = false,
}: {
  runId: string;
  total: number;
  sources?: boolean;
}) {
  const [offset, setOffset] = useState(0);
  const [limit, setLimit] = useState(50);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [search, setSearch] = useState("");
  const page = useRecords(runId, offset, limit);
  const records = useMemo(() => page.data?.records ?? [], [page.data]);
  const total = page.data?.total ?? totalHint;

  const columns = useMemo<ColumnDef<Row>[]>(() => {
    const fields = [...new Set(records.flatMap((record) => Object.keys(record)))];
    return fields.map((field) => ({
      id: field,
      header: field,
      accessorFn: (row) => row[field],
      cell: (info) => cellText(info.getValue()),
      sortingFn: (a, b, id) => compareValues(a.getValue(id), b.getValue(id)),
    }));
  }, [records]);

  const table = useReactTable({
    data: records,
    columns,
    state: { sorting, globalFilter: search },
    onSortingChange: setSorting,
    onGlobalFilterChange: setSearch,
    globalFilterFn: (row, _columnId, needle: string) =>
      JSON.stringify(row.original).toLowerCase().includes(needle.toLowerCase()),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });

  const last = Math.min(offset + limit, total);
  return (
    <>
      <h2>Records</h2>
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search this page"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="records-search"
        />
        <span className="muted" data-testid="records-range">
          {total === 0
            ? "no records"
            : `${formatNumber(offset + 1)}–${formatNumber(last)} of ${formatNumber(total)}`}
        </span>
        <span className="spacer" />
        <select
          value={limit}
          onChange={(e) => {
            setLimit(Number(e.target.value));
            setOffset(0);
          }}
          aria-label="Records per page"
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size} / page
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - limit))}
          data-testid="records-prev"
        >
          ‹ Previous
        </button>
        <button
          type="button"
          className="button"
          disabled={last >= total}
          onClick={() => setOffset(offset + limit)}
          data-testid="records-next"
        >
          Next ›
        </button>
      </div>
      {page.error && <ErrorMessage error={page.error} />}
      <div className="table-scroll">
        <table className="table compact" data-testid="records-table">
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {sources && <th aria-label="Source" />}
                {group.headers.map((header) => (
                  <th
                    key={header.id}
                    className="sortable"
                    onClick={header.column.getToggleSortingHandler()}
                    data-testid="records-column"
                    aria-sort={
                      header.column.getIsSorted() === "asc"
                        ? "ascending"
                        : header.column.getIsSorted() === "desc"
                          ? "descending"
                          : "none"
                    }
                  >
                    {flexRender(header.column.columnDef.header, header.getContext())}
                    {{ asc: " ▲", desc: " ▼" }[header.column.getIsSorted() as string] ?? ""}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-testid="record-row">
                {sources && (
                  <td className="actions-cell">
                    <Link
                      to={`/runs/${runId}/replay?record=${offset + row.index}`}
                      title="The recorded page this record came from, its fields outlined"
                      data-testid="record-source"
                    >
                      source
                    </Link>
                  </td>
                )}
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Numbers as numbers, everything else as text; empty values last. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return cellText(a).localeCompare(cellText(b), undefined, { numeric: true });
}
