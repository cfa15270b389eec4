import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ROLE_WORDS } from '../auth/role-words.js';
import { useSession } from '../auth/session.js';
import { SettingsOperatorsDocument, type OperatorFieldsFragment, type OperatorState } from '../generated/graphql.js';
import { Badge, ErrorNote, Skeleton, Table, TimeText, type TableColumn } from '../ui/index.js';
import { InviteOperator } from './invite-operator.js';
import { OperatorActions } from './operator-actions.js';

const STATE_TONE = { ACTIVE: 'ok', INVITED: 'warn', DEACTIVATED: 'neutral' } as const satisfies Record<OperatorState, string>;
const STATE_WORDS: Record<OperatorState, string> = { ACTIVE: 'Active', INVITED: 'Invited', DEACTIVATED: 'Deactivated' };

/** The people who operate Tollgate: invite, change a role, see and end sessions, deactivate. */
export function OperatorsSection() {
  const { operator: me } = useSession();
  const [notice, setNotice] = useState('');
  const operators = useQuery(SettingsOperatorsDocument, { variables: { after: null } });
  const rows = operators.data?.operators.edges.map((edge) => edge.node);
  const columns: TableColumn<OperatorFieldsFragment>[] = [
    {
      id: 'name',
      header: 'Operator',
      accessorFn: (row) => row.email,
      cell: ({ row: { original } }) => (
        <div className="stack-tight">
          <span className="strong">
            {original.name} {original.id === me.id ? <span className="tg-muted">(you)</span> : null}
          </span>
          <span className="tg-muted">{original.email}</span>
          <span className="narrow-only">
            {ROLE_WORDS[original.role]} · <Badge tone={STATE_TONE[original.state]}>{STATE_WORDS[original.state]}</Badge>
          </span>
        </div>
      ),
    },
    { id: 'role', header: 'Role', meta: { className: 'narrow-hidden' }, accessorFn: (row) => row.role, cell: ({ row: { original } }) => ROLE_WORDS[original.role] },
    { id: 'state', header: 'State', meta: { className: 'narrow-hidden' }, accessorFn: (row) => row.state, cell: ({ row: { original } }) => <Badge tone={STATE_TONE[original.state]}>{STATE_WORDS[original.state]}</Badge> },
    {
      id: 'since',
      header: 'Invited',
      meta: { className: 'narrow-hidden' },
      cell: ({ row: { original } }) => (
        <span>
          <TimeText iso={original.createdAt} mode="relative" /> by {original.createdBy}
        </span>
      ),
    },
    { id: 'actions', header: 'Actions', cell: ({ row: { original } }) => <OperatorActions operator={original} onDone={setNotice} /> },
  ];
  return (
    <section className="stack" aria-labelledby="operators-title">
      <div className="toolbar">
        <h2 id="operators-title">Operators</h2>
        <InviteOperator />
      </div>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      <ErrorNote error={operators.error} title="Could not load the operators" />
      {rows ? <Table caption="Operators" columns={columns} data={rows} rowId={(row) => row.id} /> : operators.error ? null : <Skeleton lines={4} label="Loading the operators" />}
    </section>
  );
}
