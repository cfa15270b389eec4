import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ACCOUNT_SEARCH_TEXT } from './account-search-text.js';

/** Storage: a customer account of the host product, keyed by the host's own id. */
@Entity({ tableName: 'account' })
// Finding accounts (accounts(search: …), account-search.ts): a trigram index for words of three
// characters or more anywhere in the id, name or metadata values; prefix indexes for shorter ones.
// fastupdate off: accounts are written rarely and searched often, so entries go straight into the
// index instead of a pending list every search would scan (and the planner would shun).
@Index({ name: 'account_search_text_trgm', expression: 'create index "account_search_text_trgm" on "account" using gin ("search_text" gin_trgm_ops) with (fastupdate = off)' })
@Index({ name: 'account_id_lower_prefix', expression: 'create index "account_id_lower_prefix" on "account" (lower("id") text_pattern_ops)' })
@Index({ name: 'account_name_lower_prefix', expression: 'create index "account_name_lower_prefix" on "account" (lower("name") text_pattern_ops)' })
// The orders of accounts(sort: NAME | CREATED), the id breaking ties: a page is read off the index
// from a cursor, in either direction, however many accounts there are.
@Index({ name: 'account_name_order', expression: 'create index "account_name_order" on "account" (lower("name"), "id")' })
@Index({ name: 'account_created_order', expression: 'create index "account_created_order" on "account" ("created_at", "id")' })
export class Account {
  [OptionalProps]?: 'metadata' | 'createdAt' | 'updatedAt' | 'searchText';

  @PrimaryKey({ type: 'string', length: 128 })
  id!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'json' })
  metadata: Record<string, unknown> = {};

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /**
   * What accounts(search:) looks in: the id, the name and every metadata value, lowercased.
   * Computed by PostgreSQL itself (a stored generated column), so no write can forget it.
   */
  @Property({ type: 'text', generated: `(${ACCOUNT_SEARCH_TEXT}) stored`, lazy: true, nullable: true })
  searchText?: string | null;
}
