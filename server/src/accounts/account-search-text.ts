/**
 * The text `accounts(search: …)` matches, as SQL over an account row: its id, its name and every
 * scalar value of its metadata (at any depth; keys are left out, so searching "region" does not
 * find every account that has one), lowercased. Every function in it is immutable, as a stored
 * generated column and its index require, on PostgreSQL and on PGlite alike.
 */
export const ACCOUNT_SEARCH_TEXT =
  `lower("id" || ' ' || "name" || ' ' || coalesce(jsonb_path_query_array("metadata", 'strict $.** ? (@.type() != "object" && @.type() != "array")')::text, ''))`;
