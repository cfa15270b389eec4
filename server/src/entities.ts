import { Account, Subscription } from './accounts/index.js';
import { AuditEntry } from './audit/index.js';
import { ApiKey, SigningSecret } from './auth/index.js';
import { BillingCustomer, BillingEvent, BillingSubscription, BillingSyncIssue } from './billing/index.js';
import { AddOn, BillingPrice, Feature, Plan, PlanEntitlement, PlanVersion } from './catalog/index.js';
import { DemoSeed } from './demo/index.js';
import { UsageCounter, UsageEvent, UsageKeyGuard } from './metering/index.js';
import { Operator, OperatorLink, OperatorSession, SignInCounter } from './operators/index.js';
import { Override, OverrideRequest } from './overrides/index.js';
import { ShadowComparison } from './shadow/index.js';
import { PlanMigration, PlanMigrationAccount } from './plan-migrations/index.js';

/**
 * Every entity the ORM manages, listed once (no folder scanning at start). A composition root,
 * like services.ts: the database layer is handed this list and imports no domain itself.
 */
export const entities = [
  Feature,
  Plan,
  PlanVersion,
  PlanEntitlement,
  AddOn,
  BillingPrice,
  Account,
  Subscription,
  Override,
  AuditEntry,
  ApiKey,
  SigningSecret,
  UsageCounter,
  UsageEvent,
  UsageKeyGuard,
  DemoSeed,
  BillingCustomer,
  BillingEvent,
  BillingSubscription,
  BillingSyncIssue,
  ShadowComparison,
  PlanMigration,
  PlanMigrationAccount,
  Operator,
  OperatorSession,
  OperatorLink,
  SignInCounter,
  OverrideRequest,
];
