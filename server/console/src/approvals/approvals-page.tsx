import { useDocumentTitle } from '../app/use-document-title.js';
import { Empty } from '../ui/index.js';

/** Pending override requests across accounts, for those who may decide them. */
export function ApprovalsPage() {
  useDocumentTitle('Approvals');
  return (
    <div className="page">
      <h1>Approvals</h1>
      <Empty title="No pending requests" />
    </div>
  );
}
