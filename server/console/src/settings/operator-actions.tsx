import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ROLE_WORDS } from '../auth/role-words.js';
import {
  DeactivateOperatorDocument,
  EndOperatorSessionDocument,
  OperatorSessionsDocument,
  SetOperatorRoleDocument,
  type OperatorFieldsFragment,
  type OperatorRole,
} from '../generated/graphql.js';
import { Button, Dialog, DialogActions, DialogClose, Empty, ErrorNote, Field, Skeleton, TimeText } from '../ui/index.js';

const ROLES = Object.keys(ROLE_WORDS) as OperatorRole[];

/**
 * What an owner does to one operator: another role, their sessions (seen and ended one by one),
 * deactivation. Each says before the click what it ends; the server's refusal (LAST_OWNER, …)
 * is shown in the dialog that caused it.
 */
export function OperatorActions({ operator, onDone }: { operator: OperatorFieldsFragment; onDone(message: string): void }) {
  const [open, setOpen] = useState<'role' | 'sessions' | 'deactivate' | null>(null);
  const close = (next: boolean) => !next && setOpen(null);
  const who = operator.name || operator.email;
  if (operator.state === 'DEACTIVATED') return <span className="tg-muted">Invite again to let them back in</span>;
  return (
    <div className="card__actions">
      <Button size="small" onClick={() => setOpen('role')} aria-label={`Role of ${who}`}>
        Role…
      </Button>
      {operator.state === 'ACTIVE' ? (
        <Button size="small" onClick={() => setOpen('sessions')} aria-label={`Sessions of ${who}`}>
          Sessions…
        </Button>
      ) : null}
      <Button size="small" variant="danger" onClick={() => setOpen('deactivate')} aria-label={`Deactivate ${who}`}>
        Deactivate…
      </Button>
      {open === 'role' ? <ChangeRole operator={operator} onClose={close} onDone={onDone} /> : null}
      {open === 'sessions' ? <Sessions operator={operator} onClose={close} onDone={onDone} /> : null}
      {open === 'deactivate' ? <Deactivate operator={operator} onClose={close} onDone={onDone} /> : null}
    </div>
  );
}

interface ActionProps {
  operator: OperatorFieldsFragment;
  onClose(open: boolean): void;
  onDone(message: string): void;
}

function ChangeRole({ operator, onClose, onDone }: ActionProps) {
  const [role, setRole] = useState<OperatorRole>(operator.role);
  const [change, changing] = useMutation(SetOperatorRoleDocument, { refetchQueries: ['SettingsOperators'] });
  return (
    <Dialog open onOpenChange={onClose} title={`Change ${operator.name}'s role`} description="Their sessions end at once, in every browser: they sign in again with the new role.">
      <form
        className="tg-form"
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            await change({ variables: { id: operator.id, role } });
            onClose(false);
            onDone(`${operator.name} is ${ROLE_WORDS[role]} now${operator.state === 'ACTIVE' ? ' and signs in again' : ''}.`);
          } catch {
            // Shown from changing.error.
          }
        }}
      >
        <Field label="Role">
          {(control) => (
            <select {...control} className="tg-select" value={role} onChange={(event) => setRole(event.target.value as OperatorRole)}>
              {ROLES.map((entry) => (
                <option key={entry} value={entry}>
                  {ROLE_WORDS[entry]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ErrorNote error={changing.error} title="The server refused the change" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary" busy={changing.loading} disabled={role === operator.role}>
            Change role
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function Deactivate({ operator, onClose, onDone }: ActionProps) {
  const [deactivate, deactivating] = useMutation(DeactivateOperatorDocument, { refetchQueries: ['SettingsOperators'] });
  return (
    <Dialog
      open
      onOpenChange={onClose}
      title={`Deactivate ${operator.name}?`}
      description={`${operator.email} is signed out at once, in every browser, and cannot sign in again; an unused invite or reset link stops working. They stay on record in the audit log.`}
    >
      <div className="tg-form">
        <ErrorNote error={deactivating.error} title="The server refused it" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button
            variant="danger"
            busy={deactivating.loading}
            onClick={async () => {
              try {
                await deactivate({ variables: { id: operator.id } });
                onClose(false);
                onDone(`${operator.name} is deactivated and signed out everywhere.`);
              } catch {
                // Shown from deactivating.error.
              }
            }}
          >
            Deactivate
          </Button>
        </DialogActions>
      </div>
    </Dialog>
  );
}

function Sessions({ operator, onClose, onDone }: ActionProps) {
  const sessions = useQuery(OperatorSessionsDocument, { variables: { operatorId: operator.id }, fetchPolicy: 'network-only' });
  const [end, ending] = useMutation(EndOperatorSessionDocument, { refetchQueries: ['OperatorSessions'], awaitRefetchQueries: true });
  const list = sessions.data?.operatorSessions;
  return (
    <Dialog open onOpenChange={onClose} wide title={`${operator.name}'s sessions`} description="Each browser signed in as them. Ending one signs that browser out at once; the others go on.">
      <div className="tg-form">
        <ErrorNote error={sessions.error ?? ending.error} title="Could not read or end the session" />
        {list ? (
          list.length ? (
            <ul className="plain-list" aria-label="Sessions">
              {list.map((session) => (
                <li key={session.id} className="session">
                  <div className="stack-tight">
                    <span className="strong">
                      {session.userAgent ?? 'Unknown browser'} {session.current ? <span className="tg-muted">(this browser)</span> : null}
                    </span>
                    <span className="tg-muted">
                      from {session.address ?? 'an unknown address'} · signed in <TimeText iso={session.createdAt} mode="relative" /> · last seen <TimeText iso={session.lastSeenAt} mode="relative" />
                    </span>
                  </div>
                  <Button
                    size="small"
                    variant="danger"
                    busy={ending.loading}
                    onClick={async () => {
                      try {
                        await end({ variables: { operatorId: operator.id, sessionId: session.id } });
                        onDone(`Ended a session of ${operator.name}.`);
                      } catch {
                        // Shown from ending.error.
                      }
                    }}
                  >
                    End
                  </Button>
                </li>
              ))}
            </ul>
          ) : (
            <Empty title="Not signed in anywhere" />
          )
        ) : sessions.error ? null : (
          <Skeleton lines={2} label="Loading the sessions" />
        )}
        <DialogActions>
          <DialogClose asChild>
            <Button>Close</Button>
          </DialogClose>
        </DialogActions>
      </div>
    </Dialog>
  );
}
