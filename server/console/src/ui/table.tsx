import {
  createSortedRowModel,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_datetime,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import type { ReactNode } from 'react';

/** The table features every console list uses: sorting by a column's header. */
export const tableFeatureSet = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, text: sortFn_text, datetime: sortFn_datetime },
});

/** A column of a console table. */
export type TableColumn<Row extends RowData> = ColumnDef<typeof tableFeatureSet, Row, any>;

/** A column's own class (`meta: { className }`), such as "narrow-hidden" for a column a phone leaves out. */
function columnClass(definition: { meta?: unknown }): string | undefined {
  return (definition.meta as { className?: string } | undefined)?.className;
}

/** Props of {@link Table}. */
export interface TableProps<Row extends RowData> {
  /** Says what the rows are; read by screen readers (visually hidden unless `showCaption`). */
  caption: string;
  showCaption?: boolean;
  columns: TableColumn<Row>[];
  data: Row[];
  rowId(row: Row): string;
  /** Sorting kept by the caller (in the URL); without it, the rows keep their order. */
  sorting?: SortingState;
  onSortingChange?(sorting: SortingState): void;
  /** The rows come sorted (by the server, over every page): the table only shows and changes the order. */
  sortedByServer?: boolean;
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  /** Marks a row (over a limit, denied): a class name for its <tr>. */
  rowTone?(row: Row): 'bad' | 'warn' | null;
}

/**
 * A list as a real <table> on TanStack Table: sortable headers are buttons with aria-sort, the
 * table scrolls sideways inside a focusable, labelled region on a narrow screen, and an empty list
 * says so instead of drawing an empty grid.
 */
export function Table<Row extends RowData>({ caption, showCaption, columns, data, rowId, sorting, onSortingChange, sortedByServer, empty, rowTone }: TableProps<Row>) {
  const table = useTable({
    features: tableFeatureSet,
    columns,
    data,
    getRowId: (row: Row) => rowId(row),
    state: { sorting: sorting ?? [] },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting ?? []) : updater;
      onSortingChange?.(next);
    },
    enableSorting: Boolean(onSortingChange),
    enableSortingRemoval: true,
    manualSorting: sortedByServer ?? false,
  });
  if (!data.length && empty) return <>{empty}</>;
  return (
    <div className="tg-table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="tg-table">
        <caption className={showCaption ? 'tg-table__caption' : 'visually-hidden'}>{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    className={columnClass(header.column.columnDef)}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined}
                  >
                    {header.isPlaceholder ? null : canSort ? (
                      <button type="button" className="tg-table__sort" onClick={header.column.getToggleSortingHandler()}>
                        <table.FlexRender header={header} />
                        <span aria-hidden="true" className="tg-table__sort-mark">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                        </span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => {
            const tone = rowTone?.(row.original);
            return (
              <tr key={row.id} className={tone ? `tg-table__row--${tone}` : undefined}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={columnClass(cell.column.columnDef)}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
