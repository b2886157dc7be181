import { notOwnName, notProtectedName, notSample, notSampleUrl, sqlStatement } from './context-filters.js';
import {
  notGraphqlType,
  notHash,
  notIdentifier,
  notIntegrity,
  notPath,
  notPlaceholder,
  notPublicToken,
  notReference,
  notRepeated,
  notShortHex,
  notUrl,
  notUuid,
  notWords,
  quotedInCode,
} from './filters.js';
import { notProviderLookalike } from './provider-formats.js';
import type { Filter } from './types.js';

/** Named filters that rules refer to with `filters:`. */
export const FILTERS: Readonly<Record<string, Filter>> = {
  'quoted-in-code': quotedInCode,
  'not-placeholder': notPlaceholder,
  'not-reference': notReference,
  'not-uuid': notUuid,
  'not-integrity': notIntegrity,
  'not-path': notPath,
  'not-url': notUrl,
  'not-identifier': notIdentifier,
  'not-words': notWords,
  'not-repeated': notRepeated,
  'not-short-hex': notShortHex,
  'not-hash': notHash,
  'not-sample': notSample,
  'not-sample-url': notSampleUrl,
  'not-own-name': notOwnName,
  'sql-statement': sqlStatement,
  'not-public-token': notPublicToken,
  'not-graphql-type': notGraphqlType,
  'not-protected-name': notProtectedName,
  'not-provider-lookalike': notProviderLookalike,
};
