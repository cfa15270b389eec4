import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { CreateApiKeyDocument, RevokeApiKeyDocument, SettingsApiKeysDocument, type ApiKeyRole, type SettingsApiKeysQuery } from '../generated/graphql.js';
import { Badge, Button, Dialog, DialogActions, DialogClose, Empty, ErrorNote, Field, problemsByField, Skeleton, Table, TimeText, type TableColumn } from '../ui/index.js';
import { ShownOnce } from './shown-once.js';

type ApiKey = SettingsApiKeysQuery['apiKeys'][number];

const ROLE_WORDS: Record<ApiKeyRole, string> = {
  SERVER: 'Server: the host backend (reads accounts, meters usage, mints client tokens)',
  ADMIN: 'Admin: everything, catalog and keys included',
};

/** API keys for programs: create one (its secret shown once), revoke one after confirming. */
export function ApiKeysSection() {
  const keys = useQuery(SettingsApiKeysDocument);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [notice, setNotice] = useState('');
  const columns: TableColumn<ApiKey>[] = [
    {
      id: 'name',
      header: 'Key',
      cell: ({ row: { original } }) => (
        <div className="stack-tight">
          <span className="strong">{original.name}</span>
          <span className="mono tg-muted">{original.prefix}…</span>
        </div>
      ),
    },
    { id: 'role', header: 'Role', cell: ({ row: { original } }) => (original.role === 'ADMIN' ? 'Admin' : 'Server') },
    {
      id: 'created',
      header: 'Created',
      meta: { className: 'narrow-hidden' },
      cell: ({ row: { original } }) => (
        <span>
          <TimeText iso={original.createdAt} mode="relative" /> by {original.createdBy}
        </span>
      ),
    },
    {
      id: 'state',
      header: 'State',
      cell: ({ row: { original } }) =>
        original.revokedAt ? (
          <Badge tone="neutral">
            Revoked <TimeText iso={original.revokedAt} mode="relative" />
          </Badge>
        ) : (
          <Button size="small" variant="danger" onClick={() => setRevoking(original)} aria-label={`Revoke ${original.name}`}>
            Revoke…
          </Button>
        ),
    },
  ];
  return (
    <section className="stack" aria-labelledby="api-keys-title">
      <div className="toolbar">
        <h2 id="api-keys-title">API keys</h2>
        <CreateApiKey />
      </div>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      <ErrorNote error={keys.error} title="Could not load the API keys" />
      {keys.data ? (
        <Table caption="API keys" columns={columns} data={keys.data.apiKeys} rowId={(row) => row.id} empty={<Empty title="No API key yet">The host backend needs a Server key.</Empty>} />
      ) : keys.error ? null : (
        <Skeleton lines={3} label="Loading the API keys" />
      )}
      {revoking ? <RevokeApiKey apiKey={revoking} onClose={() => setRevoking(null)} onDone={setNotice} /> : null}
    </section>
  );
}

function CreateApiKey() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiKeyRole>('SERVER');
  const [checked, setChecked] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [create, creating] = useMutation(CreateApiKeyDocument, { refetchQueries: ['SettingsApiKeys'] });
  const reset = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setName('');
      setRole('SERVER');
      setChecked(false);
      setSecret(null);
      creating.reset();
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!name.trim()) return;
    try {
      const answer = await create({ variables: { input: { name: name.trim(), role } } });
      setSecret(answer.data?.createApiKey.secret ?? null);
    } catch {
      // Shown from creating.error.
    }
  };
  const { byField, general } = problemsByField(creating.error);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        Create an API key
      </Button>
      <Dialog open={open} onOpenChange={reset} title={secret ? `Created “${name.trim()}”` : 'Create an API key'} description={secret ? undefined : 'For a program: its name is the actor in the audit log.'}>
        {secret ? (
          <div className="tg-form">
            <ShownOnce label="Secret" value={secret} note='Shown once: copy it into the program’s configuration now. Send it as "Authorization: Bearer <secret>".' />
            <DialogActions>
              <DialogClose asChild>
                <Button variant="primary">Done</Button>
              </DialogClose>
            </DialogActions>
          </div>
        ) : (
          <form className="tg-form" onSubmit={submit} noValidate>
            <Field label="Name" required hint="Who or what uses it, such as “billing backend”." error={checked && !name.trim() ? 'Name it: the audit log shows this name.' : byField.name}>
              {(control) => <input {...control} className="tg-input" autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} />}
            </Field>
            <fieldset className="tg-choice">
              <legend>Role</legend>
              {(Object.keys(ROLE_WORDS) as ApiKeyRole[]).map((entry) => (
                <label key={entry}>
                  <input type="radio" name="role" value={entry} checked={role === entry} onChange={() => setRole(entry)} />
                  {ROLE_WORDS[entry]}
                </label>
              ))}
            </fieldset>
            <ErrorNote problems={general} title="The server refused the key" />
            <DialogActions>
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
              <Button type="submit" variant="primary" busy={creating.loading}>
                Create
              </Button>
            </DialogActions>
          </form>
        )}
      </Dialog>
    </>
  );
}

function RevokeApiKey({ apiKey, onClose, onDone }: { apiKey: ApiKey; onClose(): void; onDone(message: string): void }) {
  const [revoke, revoking] = useMutation(RevokeApiKeyDocument, { refetchQueries: ['SettingsApiKeys'] });
  return (
    <Dialog
      open
      onOpenChange={(next) => !next && onClose()}
      title={`Revoke “${apiKey.name}”?`}
      description={`Every request with ${apiKey.prefix}… is refused from now on, in every server process, and its live sockets close. This cannot be undone: a program that still needs access needs a new key.`}
    >
      <div className="tg-form">
        <ErrorNote error={revoking.error} title="The server refused it" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button
            variant="danger"
            busy={revoking.loading}
            onClick={async () => {
              try {
                await revoke({ variables: { id: apiKey.id } });
                onClose();
                onDone(`Revoked “${apiKey.name}”.`);
              } catch {
                // Shown from revoking.error.
              }
            }}
          >
            Revoke
          </Button>
        </DialogActions>
      </div>
    </Dialog>
  );
}
