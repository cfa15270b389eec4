import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useDocumentTitle } from '../app/use-document-title.js';
import { Button, Field } from '../ui/index.js';

/** Find an account. */
export function AccountsPage() {
  useDocumentTitle('Accounts');
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const open = (event: FormEvent) => {
    event.preventDefault();
    if (id.trim()) navigate(`/accounts/${encodeURIComponent(id.trim())}`);
  };
  return (
    <div className="page">
      <h1>Accounts</h1>
      <form className="tg-form search-form" onSubmit={open}>
        <Field label="Account id">
          {(control) => <input {...control} className="tg-input" value={id} onChange={(event) => setId(event.target.value)} />}
        </Field>
        <Button type="submit" variant="primary">
          Open
        </Button>
      </form>
    </div>
  );
}
