import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useMay } from '../auth/session.js';
import { DeskCreateFeatureDocument, type FeatureKind } from '../generated/graphql.js';
import { Badge, Button, Dialog, DialogActions, DialogClose, Empty, ErrorNote, Field, problemsByField } from '../ui/index.js';
import type { DeskFeature } from './catalog-types.js';

/** What each kind of feature is, in the words the form and the list use. */
export const KIND_WORDS: Record<FeatureKind, string> = {
  SWITCH: 'Switch (on or off)',
  QUANTITY: 'Quantity (a cap on what is held)',
  METERED: 'Metered (usage per period)',
};

/** The catalog's features: key, kind, unit, what they depend on; "New feature" for those who may edit. */
export function FeatureList({ features }: { features: DeskFeature[] }) {
  const mayEdit = useMay('EDIT_CATALOG');
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState('');
  return (
    <div className="stack">
      <div className="toolbar">
        <p className="notice" role="status" aria-live="polite">
          {notice}
        </p>
        {mayEdit ? (
          <Button variant="primary" onClick={() => setOpen(true)}>
            New feature
          </Button>
        ) : null}
      </div>
      {features.length ? (
        <div className="tg-table-scroll" role="region" aria-label="Features" tabIndex={0}>
          <table className="tg-table">
            <caption className="visually-hidden">Features</caption>
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col">Kind</th>
                <th scope="col">Unit</th>
                <th scope="col">Requires</th>
                <th scope="col" className="narrow-hidden">
                  Description
                </th>
              </tr>
            </thead>
            <tbody>
              {features.map((feature) => (
                <tr key={feature.key}>
                  <td>
                    <div className="stack-tight">
                      <span className="strong">{feature.name}</span>
                      <span className="mono tg-muted">{feature.key}</span>
                    </div>
                  </td>
                  <td>
                    <Badge tone="neutral">{feature.kind.toLowerCase()}</Badge>
                  </td>
                  <td>{feature.unit ?? '—'}</td>
                  <td className="mono">{feature.requires.length ? feature.requires.join(', ') : '—'}</td>
                  <td className="narrow-hidden">{feature.description ?? <span className="tg-muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty title="No features yet">A feature is what the product checks: a switch, a quantity or metered usage.</Empty>
      )}
      <NewFeature open={open} onOpenChange={setOpen} features={features} onDone={(key) => setNotice(`Feature ${key} added. Plans grant it from their next version.`)} />
    </div>
  );
}

function NewFeature({ open, onOpenChange, features, onDone }: { open: boolean; onOpenChange(open: boolean): void; features: DeskFeature[]; onDone(key: string): void }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<FeatureKind>('SWITCH');
  const [unit, setUnit] = useState('');
  const [description, setDescription] = useState('');
  const [requires, setRequires] = useState<string[]>([]);
  const [create, created] = useMutation(DeskCreateFeatureDocument, { refetchQueries: ['CatalogDesk', 'ConsoleCatalog'] });
  const { byField, general } = problemsByField(created.error, { ALREADY_EXISTS: 'key' });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await create({
        variables: { input: { key: key.trim(), name: name.trim(), kind, unit: unit.trim() || null, description: description.trim() || null, requires } },
      });
      onOpenChange(false);
      onDone(key.trim());
      setKey('');
      setName('');
      setUnit('');
      setDescription('');
      setRequires([]);
    } catch {
      // Shown next to the fields.
    }
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New feature" description="Adding a feature grants it to nobody: plan versions and add-ons do.">
      <form className="tg-form" onSubmit={submit} noValidate>
        <div className="tg-form__row">
          <Field label="Key" required hint="What the product checks: lowercase, such as audit_log." error={byField.key}>
            {(control) => <input {...control} className="tg-input mono" value={key} onChange={(event) => setKey(event.target.value)} />}
          </Field>
          <Field label="Name" required error={byField.name}>
            {(control) => <input {...control} className="tg-input" value={name} onChange={(event) => setName(event.target.value)} />}
          </Field>
        </div>
        <fieldset className="tg-choice">
          <legend>Kind</legend>
          {(Object.keys(KIND_WORDS) as FeatureKind[]).map((value) => (
            <label key={value}>
              <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
              {KIND_WORDS[value]}
            </label>
          ))}
        </fieldset>
        <Field label="Unit" hint="What is counted: calls, seats, MB. Not for switches." error={byField.unit}>
          {(control) => <input {...control} className="tg-input" value={unit} disabled={kind === 'SWITCH'} onChange={(event) => setUnit(event.target.value)} />}
        </Field>
        <Field label="Description" error={byField.description}>
          {(control) => <textarea {...control} className="tg-textarea" value={description} onChange={(event) => setDescription(event.target.value)} />}
        </Field>
        {features.length ? (
          <fieldset className="tg-choice">
            <legend>Requires (features that must also be accessible)</legend>
            {features.map((feature) => (
              <label key={feature.key}>
                <input
                  type="checkbox"
                  checked={requires.includes(feature.key)}
                  onChange={(event) => setRequires(event.target.checked ? [...requires, feature.key] : requires.filter((entry) => entry !== feature.key))}
                />
                <span className="mono">{feature.key}</span>
              </label>
            ))}
          </fieldset>
        ) : null}
        {byField.requires ? <p className="tg-field__error">{byField.requires}</p> : null}
        <ErrorNote problems={general} title="The server refused it" />
        <DialogActions>
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary" busy={created.loading}>
            Add feature
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
