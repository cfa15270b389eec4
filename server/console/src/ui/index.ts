/**
 * The console's primitives: thin wrappers over accessible pieces (native elements, Radix Dialog and
 * Tabs, TanStack Table, uPlot). They know nothing about the domain.
 */
export { Badge } from './badge.js';
export { Button, type ButtonProps } from './button.js';
export { Chart, type ChartProps, type ChartSeries } from './chart.js';
export { Dialog, DialogActions, DialogClose, type DialogProps } from './dialog.js';
export { DiffView, jsonChanges, type JsonChange } from './diff-view.js';
export { Empty } from './empty.js';
export { ErrorNote, type ErrorNoteProps } from './error-note.js';
export { Fact } from './fact.js';
export { Field, type FieldControlProps, type FieldProps } from './field.js';
export { formatDate, formatDateTime, formatQuantity, formatRelative } from './format.js';
export { problemsByField, serverProblems, type ServerProblem } from './graphql-errors.js';
export { Skeleton } from './skeleton.js';
export { Table, tableFeatureSet, type TableColumn, type TableProps } from './table.js';
export { Tabs, type TabItem } from './tabs.js';
export { TimeText } from './time-text.js';
