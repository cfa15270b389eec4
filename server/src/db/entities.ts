import { Account } from '../accounts/account.entity.js';
import { Subscription } from '../accounts/subscription.entity.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { ApiKey } from '../auth/api-key.entity.js';
import { SigningSecret } from '../auth/signing-secret.entity.js';
import { AddOn } from '../catalog/add-on.entity.js';
import { Feature } from '../catalog/feature.entity.js';
import { PlanEntitlement } from '../catalog/plan-entitlement.entity.js';
import { PlanVersion } from '../catalog/plan-version.entity.js';
import { Plan } from '../catalog/plan.entity.js';
import { DemoSeed } from '../demo/demo-seed.entity.js';
import { UsageCounter } from '../metering/usage-counter.entity.js';
import { UsageEvent } from '../metering/usage-event.entity.js';
import { Override } from '../overrides/override.entity.js';

/** Every entity the ORM manages, listed once (no folder scanning at start). */
export const entities = [
  Feature,
  Plan,
  PlanVersion,
  PlanEntitlement,
  AddOn,
  Account,
  Subscription,
  Override,
  AuditEntry,
  ApiKey,
  SigningSecret,
  UsageCounter,
  UsageEvent,
  DemoSeed,
];
