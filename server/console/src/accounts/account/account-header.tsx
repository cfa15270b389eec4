import { Badge, TimeText } from '../../ui/index.js';
import type { AccountPageQuery } from '../../generated/graphql.js';
import { PHASE_TONE, PHASE_WORDS } from '../access/reason-words.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

/** The account's name, id, plan and version, phase with its dates, and billing links. */
export function AccountHeader({ account, defaultPlan }: { account: PageAccount; defaultPlan: { name: string; version: number | null } | null }) {
  const subscription = account.subscription;
  const customerIds = [...new Set([...(subscription?.billingProviderIds.stripeCustomerId ? [subscription.billingProviderIds.stripeCustomerId] : []), ...account.billingCustomerIds])];
  return (
    <header className="account-header">
      <div className="account-header__title">
        <h1>{account.name}</h1>
        <span className="account-header__id mono" aria-label={`Account id ${account.id}`}>
          {account.id}
        </span>
      </div>
      <dl className="account-header__facts">
        <div>
          <dt>Plan</dt>
          <dd>
            {subscription ? (
              <>
                {subscription.planVersion.planName} <span className="tg-muted">v{subscription.planVersion.version}</span>{' '}
                <span className="tg-muted">
                  · {subscription.planVersion.price.formatted}/{subscription.planVersion.interval === 'YEAR' ? 'year' : 'month'}
                </span>
                {subscription.pinned ? (
                  <>
                    {' '}
                    <Badge tone="neutral" title="Plan migrations skip it unless they name it">
                      Pinned
                    </Badge>
                  </>
                ) : null}
              </>
            ) : (
              <span>
                {defaultPlan ? `${defaultPlan.name}${defaultPlan.version ? ` v${defaultPlan.version}` : ''}` : 'No plan'}{' '}
                <span className="tg-muted">· the default plan (no subscription)</span>
              </span>
            )}
          </dd>
        </div>
        {subscription ? (
          <div>
            <dt>Phase</dt>
            <dd>
              <Badge tone={PHASE_TONE[subscription.phase]}>{PHASE_WORDS[subscription.phase]}</Badge>
            </dd>
          </div>
        ) : null}
        {subscription?.trialEndsAt && (subscription.phase === 'TRIAL' || subscription.phase === 'TRIAL_GRACE' || subscription.status === 'TRIALING') ? (
          <div>
            <dt>Trial ends</dt>
            <dd>
              <TimeText iso={subscription.trialEndsAt} />
            </dd>
          </div>
        ) : null}
        {subscription?.graceEndsAt ? (
          <div>
            <dt>Grace ends</dt>
            <dd>
              <TimeText iso={subscription.graceEndsAt} />
            </dd>
          </div>
        ) : null}
        {subscription && subscription.phase !== 'TRIAL' && subscription.phase !== 'TRIAL_GRACE' ? (
          <div>
            <dt>{subscription.cancelAtPeriodEnd ? 'Ends' : 'Period ends'}</dt>
            <dd>
              <TimeText iso={subscription.currentPeriodEnd} />
            </dd>
          </div>
        ) : null}
        {subscription?.scheduledChange ? (
          <div>
            <dt>Scheduled change</dt>
            <dd>
              To {subscription.scheduledChange.name} v{subscription.scheduledChange.version}, <TimeText iso={subscription.scheduledChange.at} mode="relative" />
            </dd>
          </div>
        ) : null}
        {customerIds.length ? (
          <div>
            <dt>Billing</dt>
            <dd className="account-header__billing">
              {customerIds.map((id) => (
                <a key={id} href={`https://dashboard.stripe.com/customers/${encodeURIComponent(id)}`} target="_blank" rel="noreferrer noopener" className="mono">
                  {id}
                  <span className="visually-hidden"> (opens Stripe in a new tab)</span>
                </a>
              ))}
            </dd>
          </div>
        ) : null}
      </dl>
    </header>
  );
}
