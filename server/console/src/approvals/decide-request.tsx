import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ApproveOverrideRequestDocument, RejectOverrideRequestDocument, type OverrideRequestFieldsFragment } from '../generated/graphql.js';
import { Button, Dialog, DialogActions, DialogClose, ErrorNote, Field, problemsByField } from '../ui/index.js';

const REFETCH = ['OverrideRequests', 'AccountPage', 'AccountAccess', 'AccountHistory'];

/**
 * Approve (with an optional note) or reject (with a reason) one pending request. The server's
 * refusal (SELF_APPROVAL, OVERRIDE_REQUEST_DECIDED, …) is shown beside the buttons that caused it.
 */
export function DecideRequest({ request, onDone }: { request: OverrideRequestFieldsFragment; onDone(message: string): void }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [approve, approved] = useMutation(ApproveOverrideRequestDocument, { refetchQueries: REFETCH });
  const [reject, rejected] = useMutation(RejectOverrideRequestDocument, { refetchQueries: REFETCH });
  const what = `${request.input.feature} for ${request.input.accountId}`;
  const submitReject = async (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return setMissing(true);
    try {
      await reject({ variables: { id: request.id, reason: reason.trim() } });
      setRejecting(false);
      onDone(`Rejected the request for ${what}.`);
    } catch {
      // Shown from rejected.error.
    }
  };
  const { byField, general } = problemsByField(rejected.error);
  return (
    <div className="decide">
      <div className="decide__buttons">
        <Button
          variant="primary"
          size="small"
          busy={approved.loading}
          aria-label={`Approve the request for ${what}`}
          onClick={async () => {
            try {
              await approve({ variables: { id: request.id } });
              onDone(`Approved: ${what} is granted now.`);
            } catch {
              // Shown from approved.error.
            }
          }}
        >
          Approve
        </Button>
        <Button variant="danger" size="small" onClick={() => setRejecting(true)} aria-label={`Reject the request for ${what}`}>
          Reject
        </Button>
      </div>
      <ErrorNote error={approved.error} />
      <Dialog open={rejecting} onOpenChange={setRejecting} title="Reject the request" description={`Nothing is granted; ${request.requestedBy} sees your reason.`}>
        <form className="tg-form" onSubmit={submitReject} noValidate>
          <Field label="Reason" required error={missing && !reason.trim() ? 'Say why: the requester and the audit log see it.' : byField.reason}>
            {(control) => <textarea {...control} className="tg-textarea" value={reason} onChange={(event) => setReason(event.target.value)} />}
          </Field>
          <ErrorNote problems={general} title="The server refused it" />
          <DialogActions>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="danger" busy={rejected.loading}>
              Reject
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </div>
  );
}
