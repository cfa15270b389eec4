import { useMutation, useQuery } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { RequestList } from '../../approvals/request-list.js';
import { useOverrideRequestsLive } from '../../approvals/use-override-requests-live.js';
import { useMay, useSession } from '../../auth/session.js';
import { OverrideRequestsDocument, RequestOverrideDocument, type AccountOverrideFragment, type AccountPageQuery, type ConsoleCatalogQuery } from '../../generated/graphql.js';
import { Badge, Button, Dialog, Empty, ErrorNote, Table, TimeText, type TableColumn } from '../../ui/index.js';
import { effectWords } from '../access/reason-words.js';
import { OverrideForm } from './override-form.js';
import { overrideStanding, type OverrideStanding } from './override-window.js';
import { RevokeDialog } from './revoke-dialog.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

const STANDING_WORDS: Record<OverrideStanding, string> = { active: 'In force', scheduled: 'Scheduled', past: 'Past' };

/**
 * The account's overrides, in force, scheduled and past (`?show=`), each with its reason, approver
 * and window; grant or request one (`?grant=<feature>` opens the form for that feature), revoke one
 * with a reason. Only the controls the role may use are drawn.
 */
export default function OverridesTab({ account, catalog }: { account: PageAccount; catalog: ConsoleCatalogQuery | undefined }) {
  const [params, setParams] = useSearchParams();
  const mayGrant = useMay('GRANT_OVERRIDE');
  const mayRequest = useMay('REQUEST_OVERRIDE');
  const { overridePolicyDays } = useSession();
  const pending = useQuery(OverrideRequestsDocument, { variables: { accountId: account.id, status: 'PENDING', first: 50 } });
  useOverrideRequestsLive(account.id);
  const [requestOverride] = useMutation(RequestOverrideDocument, { refetchQueries: ['OverrideRequests', 'AccountHistory'] });
  const [revoking, setRevoking] = useState<AccountOverrideFragment | null>(null);
  const [notice, setNotice] = useState('');
  const now = useMemo(() => new Date(), [account.overrides]);
  const show = (['active', 'scheduled', 'past'] as const).find((value) => value === params.get('show')) ?? 'active';
  const grouped = useMemo(() => {
    const groups: Record<OverrideStanding, AccountOverrideFragment[]> = { active: [], scheduled: [], past: [] };
    for (const override of account.overrides) groups[overrideStanding(override, now)].push(override);
    return groups;
  }, [account.overrides, now]);
  const formFeature = params.get('grant');
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null) next.delete(name);
    else next.set(name, value);
    setParams(next);
  };

  const columns: TableColumn<AccountOverrideFragment>[] = [
    { id: 'feature', header: 'Feature', accessorFn: (row) => row.feature, cell: ({ getValue }) => <span className="mono">{getValue()}</span> },
    { id: 'effect', header: 'Effect', accessorFn: (row) => effectWords(row.effect, row.value ?? null) },
    {
      id: 'window',
      header: 'When',
      enableSorting: false,
      cell: ({ row: { original } }) => (
        <div className="stack-tight">
          <span>
            from <TimeText iso={original.startsAt} mode="absolute" />
          </span>
          <span>{original.permanent ? 'permanent' : <>until <TimeText iso={original.endsAt} mode="absolute" /></>}</span>
        </div>
      ),
    },
    { id: 'reason', header: 'Reason', enableSorting: false, accessorFn: (row) => row.reason, cell: ({ getValue }) => <span className="reason">{getValue()}</span> },
    {
      id: 'people',
      header: 'Approved by',
      enableSorting: false,
      cell: ({ row: { original } }) => (
        <div className="stack-tight">
          <span>{original.approvedBy}</span>
          <span className="tg-muted">set by {original.createdBy}</span>
        </div>
      ),
    },
    {
      id: 'state',
      header: 'State',
      enableSorting: false,
      cell: ({ row: { original } }) => {
        if (original.revokedAt) {
          return (
            <div className="stack-tight">
              <Badge tone="neutral">Revoked</Badge>
              <span className="tg-muted">
                by {original.revokedBy}: {original.revokeReason}
              </span>
            </div>
          );
        }
        const standing = overrideStanding(original, now);
        return <Badge tone={standing === 'active' ? 'ok' : standing === 'scheduled' ? 'info' : 'neutral'}>{standing === 'past' ? 'Ended' : STANDING_WORDS[standing]}</Badge>;
      },
    },
    ...(mayGrant
      ? [
          {
            id: 'actions',
            header: () => <span className="visually-hidden">Actions</span>,
            enableSorting: false,
            cell: ({ row: { original } }: { row: { original: AccountOverrideFragment } }) =>
              overrideStanding(original, now) !== 'past' ? (
                <Button size="small" variant="danger" onClick={() => setRevoking(original)} aria-label={`Revoke the override on ${original.feature}`}>
                  Revoke
                </Button>
              ) : null,
          } satisfies TableColumn<AccountOverrideFragment>,
        ]
      : []),
  ];

  return (
    <div className="overrides-tab">
      <div className="toolbar">
        <nav aria-label="Which overrides" className="segmented">
          {(['active', 'scheduled', 'past'] as const).map((value) => (
            <Link key={value} to={`?show=${value}`} aria-current={show === value ? 'page' : undefined} className="segmented__item">
              {STANDING_WORDS[value]} <span className="segmented__count">{grouped[value].length}</span>
            </Link>
          ))}
        </nav>
        {(mayGrant || mayRequest) && catalog ? (
          <Button variant="primary" onClick={() => setParam('grant', '')}>
            {mayGrant ? 'Grant or request an override' : 'Request an override'}
          </Button>
        ) : null}
      </div>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      <ErrorNote error={pending.error} title="Could not load pending requests" />
      {pending.data?.overrideRequests.edges.length ? (
        <section className="pending-requests" aria-labelledby="pending-heading">
          <h2 id="pending-heading">Waiting for approval</h2>
          <RequestList requests={pending.data.overrideRequests.edges.map((edge) => edge.node)} showAccount={false} onDone={setNotice} />
        </section>
      ) : null}
      <Table
        caption={`${STANDING_WORDS[show]} overrides of ${account.name}`}
        columns={columns}
        data={grouped[show]}
        rowId={(row) => row.id}
        empty={
          <Empty title={show === 'active' ? 'No override in force' : show === 'scheduled' ? 'No override scheduled' : 'No past override'}>
            {show === 'active' ? 'The account has exactly what its plan and add-ons give it.' : null}
          </Empty>
        }
      />
      {catalog ? (
        <Dialog
          open={formFeature !== null}
          onOpenChange={(open) => (open ? null : setParam('grant', null))}
          title={mayGrant ? 'Grant or request an override' : 'Request an override'}
          description={`For ${account.name}. It changes the account's access for the feature until it ends; everything is audited with your name.`}
          wide
        >
          <OverrideForm
            accountId={account.id}
            catalog={catalog}
            feature={formFeature}
            mayGrant={mayGrant}
            mayRequest={mayRequest}
            policyDays={overridePolicyDays}
            request={async (input) => {
              await requestOverride({ variables: { input } });
            }}
            onDone={(message) => {
              setNotice(message);
              setParam('grant', null);
            }}
          />
        </Dialog>
      ) : null}
      <RevokeDialog
        override={revoking}
        onClose={() => setRevoking(null)}
        onDone={(message) => {
          setNotice(message);
          setRevoking(null);
        }}
      />
    </div>
  );
}
