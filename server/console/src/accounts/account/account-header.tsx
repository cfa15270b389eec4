import { Badge, Fact, TimeText } from '../../ui/index.js';
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
        <Fact term="Plan">
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
        </Fact>
        {subscription ? (
          <Fact term="Phase">
              <Badge tone={PHASE_TONE[subscription.phase]}>{PHASE_WORDS[subscription.phase]}</Badge>
          </Fact>
        ) : null}
        {subscription?.trialEndsAt && (subscription.phase === 'TRIAL' || subscription.phase === 'TRIAL_GRACE' || subscription.status === 'TRIALING') ? (
          <Fact term="Trial ends">
              <TimeText iso={subscription.trialEndsAt} />
          </Fact>
        ) : null}
        {subscription?.graceEndsAt ? (
          <Fact term="Grace ends">
              <TimeText iso={subscription.graceEndsAt} />
          </Fact>
        ) : null}
        {subscription && subscription.phase !== 'TRIAL' && subscription.phase !== 'TRIAL_GRACE' ? (
          <Fact term={subscription.cancelAtPeriodEnd ? 'Ends' : 'Period ends'}>
              <TimeText iso={subscription.currentPeriodEnd} />
          </Fact>
        ) : null}
        {subscription?.scheduledChange ? (
          <Fact term="Scheduled change">
              To {subscription.scheduledChange.name} v{subscription.scheduledChange.version}, <TimeText iso={subscription.scheduledChange.at} mode="relative" />
          </Fact>
        ) : null}
        {customerIds.length ? (
          <Fact term="Billing" className="account-header__billing">
              {customerIds.map((id) => (
                <a key={id} href={`https://dashboard.stripe.com/customers/${encodeURIComponent(id)}`} target="_blank" rel="noreferrer noopener" className="mono">
                  {id}
                  <span className="visually-hidden"> (opens Stripe in a new tab)</span>
                </a>
              ))}
          </Fact>
        ) : null}
      </dl>
    </header>
  );
}
