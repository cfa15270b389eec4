import { useState } from 'react';
import { useMay } from '../../auth/session.js';
import type { AccountPageQuery, ConsoleCatalogQuery } from '../../generated/graphql.js';
import { Badge, Fact, Button, Skeleton, TimeText } from '../../ui/index.js';
import { PHASE_TONE, PHASE_WORDS } from '../access/reason-words.js';
import { AddOnsSection } from './add-ons-section.js';
import { CancelDialog } from './cancel-dialog.js';
import { ChangePlanPanel } from './change-plan-panel.js';
import { ExtendTrialDialog } from './extend-trial-dialog.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

/**
 * The subscription: its plan, phase and dates; extend a trial, change plan (now or at period end,
 * with what the account gains and loses shown first), cancel, and add-ons. Controls follow the role.
 */
export default function SubscriptionTab({ account, catalog }: { account: PageAccount; catalog: ConsoleCatalogQuery | undefined }) {
  const mayExtend = useMay('GRANT_OVERRIDE');
  const mayManage = useMay('MANAGE_SUBSCRIPTIONS');
  const [dialog, setDialog] = useState<'extend' | 'cancel' | null>(null);
  const [notice, setNotice] = useState('');
  const subscription = account.subscription;
  const done = (message: string) => {
    setNotice(message);
    setDialog(null);
  };
  const inTrial = subscription?.status === 'TRIALING';
  const cancelable = subscription && subscription.phase !== 'CANCELED' && subscription.phase !== 'EXPIRED' && !subscription.cancelAtPeriodEnd;
  return (
    <div className="subscription-tab">
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      <section className="card" aria-labelledby="subscription-heading">
        <div className="card__head">
          <h2 id="subscription-heading">Subscription</h2>
          <div className="card__actions">
            {inTrial && mayExtend ? (
              <Button onClick={() => setDialog('extend')} variant="primary">
                Extend the trial
              </Button>
            ) : null}
            {cancelable && mayManage ? (
              <Button onClick={() => setDialog('cancel')} variant="danger">
                Cancel…
              </Button>
            ) : null}
          </div>
        </div>
        {subscription ? (
          <dl className="facts">
            <Fact term="Plan">
                {subscription.planVersion.planName} v{subscription.planVersion.version} · {subscription.planVersion.price.formatted}/{subscription.planVersion.interval === 'YEAR' ? 'year' : 'month'}
            </Fact>
            <Fact term="Phase">
                <Badge tone={PHASE_TONE[subscription.phase]}>{PHASE_WORDS[subscription.phase]}</Badge> <span className="tg-muted">status {subscription.status.toLowerCase().replace('_', ' ')}</span>
            </Fact>
            {subscription.trialEndsAt ? (
              <Fact term="Trial ends">
                  <TimeText iso={subscription.trialEndsAt} />
              </Fact>
            ) : null}
            {subscription.graceEndsAt ? (
              <Fact term="Grace ends">
                  <TimeText iso={subscription.graceEndsAt} />
              </Fact>
            ) : null}
            <Fact term="Current period">
                <TimeText iso={subscription.currentPeriodStart} mode="absolute" /> – <TimeText iso={subscription.currentPeriodEnd} mode="absolute" />
            </Fact>
            {subscription.cancelAtPeriodEnd ? (
              <div>
                <dt>Cancellation</dt>
                <dd>Ends at the end of the period</dd>
              </div>
            ) : null}
            {subscription.scheduledChange ? (
              <Fact term="Scheduled change">
                  To {subscription.scheduledChange.name} v{subscription.scheduledChange.version} on <TimeText iso={subscription.scheduledChange.at} mode="absolute" />
              </Fact>
            ) : null}
            {subscription.convertedAt ? (
              <Fact term="Converted from trial">
                  <TimeText iso={subscription.convertedAt} mode="absolute" />
              </Fact>
            ) : null}
          </dl>
        ) : (
          <p className="tg-muted">No subscription: the free plan applies.</p>
        )}
      </section>
      {mayManage ? catalog ? <ChangePlanPanel account={account} catalog={catalog} onDone={setNotice} /> : <Skeleton lines={2} label="Loading plans" /> : null}
      {catalog ? <AddOnsSection account={account} catalog={catalog} mayChange={mayManage} onDone={setNotice} /> : null}
      {subscription && mayExtend ? <ExtendTrialDialog open={dialog === 'extend'} onClose={() => setDialog(null)} accountId={account.id} trialEndsAt={subscription.trialEndsAt} onDone={done} /> : null}
      {subscription && mayManage ? <CancelDialog open={dialog === 'cancel'} onClose={() => setDialog(null)} accountId={account.id} periodEnd={subscription.currentPeriodEnd} onDone={done} /> : null}
    </div>
  );
}
