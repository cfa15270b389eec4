import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { AccountDecisionFragment, AccountPageQuery, ConsoleCatalogQuery } from '../../generated/graphql.js';
import { Badge, Button, TimeText } from '../../ui/index.js';
import { evaluationSteps } from './evaluation-steps.js';
import { REASON_WORDS } from './reason-words.js';

type PageAccount = NonNullable<AccountPageQuery['account']>;

const TONE_MARK = { ok: '✓', bad: '✕', warn: '!', neutral: '·' } as const;

/**
 * "Why is export_csv denied?": the evaluation order walked for one feature, each step with what it
 * contributed, ending in the server's decision, and what support can do about it.
 */
export function WhyPanel({
  decision,
  decisions,
  account,
  catalog,
  mayChange,
  onClose,
}: {
  decision: AccountDecisionFragment;
  decisions: AccountDecisionFragment[];
  account: PageAccount;
  catalog: ConsoleCatalogQuery;
  mayChange: boolean;
  onClose(): void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from a "Why?" link: move focus to the panel so keyboard and screen reader users land on it.
  useEffect(() => heading.current?.focus(), [decision.feature]);
  const steps = evaluationSteps({ feature: decision.feature, decision, decisions, account, catalog, now: new Date() });
  return (
    <section className="why-panel" aria-labelledby="why-heading">
      <div className="why-panel__header">
        <h2 id="why-heading" ref={heading} tabIndex={-1}>
          Why is {decision.featureName} {decision.allowed ? 'allowed' : 'denied'}?
        </h2>
        <Button variant="quiet" size="small" onClick={onClose}>
          Close
        </Button>
      </div>
      <ol className="why-panel__steps">
        {steps.map((step) => (
          <li key={step.title} className={`why-step why-step--${step.tone}`}>
            <span className="why-step__mark" aria-hidden="true">
              {TONE_MARK[step.tone]}
            </span>
            <div>
              <h3>{step.title}</h3>
              {step.lines.map((line, index) => (
                <p key={index}>{line}</p>
              ))}
            </div>
          </li>
        ))}
      </ol>
      <div className={`why-panel__decision why-panel__decision--${decision.allowed ? 'ok' : 'bad'}`} role="status" aria-live="polite">
        <span>Decision:</span> <Badge tone={decision.allowed ? 'ok' : 'bad'}>{decision.allowed ? 'Allowed' : 'Denied'}</Badge>{' '}
        <strong>{REASON_WORDS[decision.reason]}</strong>
        {decision.expiresAt ? (
          <>
            {' '}
            until <TimeText iso={decision.expiresAt} mode="absolute" />
          </>
        ) : null}
        <div className="tg-muted why-panel__as-of">
          As of <TimeText iso={decision.asOf} mode="absolute" />
        </div>
      </div>
      {mayChange ? (
        <p className="why-panel__action">
          <Link to={`/accounts/${encodeURIComponent(account.id)}/overrides?grant=${encodeURIComponent(decision.feature)}`} className="tg-button tg-button--secondary">
            {decision.allowed ? 'Change with an override' : `Give ${decision.featureName} with an override`}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
