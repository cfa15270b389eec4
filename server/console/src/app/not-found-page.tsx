import { Link } from 'react-router';
import { Empty } from '../ui/index.js';
import { useDocumentTitle } from './use-document-title.js';

/** A console path that leads nowhere. */
export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <Empty title="Nothing here" action={<Link to="/accounts">Go to accounts</Link>}>
      This console address does not exist. It may be from an older link.
    </Empty>
  );
}
