import { registerEnumType } from 'type-graphql';
import { ACCOUNT_SORTS, enumObject } from '../vocabulary/index.js';

/** GraphQL enum of the orders accounts() reads in, derived from the vocabulary. */
export const AccountSort = enumObject(ACCOUNT_SORTS);

registerEnumType(AccountSort, {
  name: 'AccountSort',
  description: 'The order of accounts(), over every page; the id breaks ties. `descending` reverses it.',
  valuesConfig: {
    ID: { description: 'By id (the default).' },
    NAME: { description: 'By name, case-insensitive.' },
    CREATED: { description: 'By when the account was created.' },
  },
});
