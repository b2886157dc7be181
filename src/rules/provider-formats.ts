/**
 * Token formats of providers whose tokens carry a prefix. A value with one of these prefixes that
 * fails its provider rule's checks (length, alphabet, checksum) is a fake or test value of that
 * format (`ghp_` with a broken CRC32 tail, a 20-character `ghp_`, `dop_v1_` with 32 hex digits):
 * the provider rule rejected it, and the generic rules must not report it in its place.
 * test/rules/provider-formats.test.ts holds each row to its rule's regex, validator and examples.
 */
import type { Filter } from './types.js';
import { VALIDATORS } from './validators.js';

/** One provider format: the prefixes, the rules that report it, the whole token's shape and the rules' validator. */
export interface ProviderFormat {
  prefixes: readonly string[];
  rules: readonly string[];
  shape: RegExp;
  validate?: string;
}

export const PROVIDER_FORMATS: readonly ProviderFormat[] = [
  {
    prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_'],
    rules: ['github-pat', 'github-oauth-token', 'github-user-to-server-token', 'github-server-to-server-token'],
    shape: /^gh[pous]_[A-Za-z0-9]{36}$/,
    validate: 'github-checksum',
  },
  { prefixes: ['ghr_'], rules: ['github-refresh-token'], shape: /^ghr_[A-Za-z0-9]{76}$/ },
  // The 36-character ghr_ of GitHub's 2021 format, with its CRC32 tail: only the generic rules report it.
  { prefixes: ['ghr_'], rules: [], shape: /^ghr_[A-Za-z0-9]{36}$/, validate: 'github-checksum' },
  {
    prefixes: ['github_pat_'],
    rules: ['github-fine-grained-pat'],
    shape: /^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/,
  },
  { prefixes: ['dop_v1_', 'doo_v1_', 'dor_v1_'], rules: ['digitalocean-token'], shape: /^do[opr]_v1_[a-f0-9]{64}$/ },
  { prefixes: ['npm_'], rules: ['npm-access-token'], shape: /^npm_[A-Za-z0-9]{36}$/ },
  {
    prefixes: ['glpat-'],
    rules: ['gitlab-pat'],
    shape: /^glpat-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{2}\.[0-9a-z]{7,12})?$/,
  },
  {
    prefixes: ['shpat_', 'shpca_', 'shppa_'],
    rules: ['shopify-access-token'],
    shape: /^shp(?:at|ca|pa)_[a-fA-F0-9]{32}$/,
  },
  { prefixes: ['SG.'], rules: ['sendgrid-api-key'], shape: /^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/ },
  { prefixes: ['pul-'], rules: ['pulumi-access-token'], shape: /^pul-[a-f0-9]{40}$/ },
  { prefixes: ['sk-ant-api'], rules: ['anthropic-api-key'], shape: /^sk-ant-api\d{2}-[A-Za-z0-9_-]{93}AA$/ },
  { prefixes: ['sk-or-v1-'], rules: ['openrouter-api-key'], shape: /^sk-or-v1-[a-f0-9]{64}$/ },
  { prefixes: ['gsk_'], rules: ['groq-api-key'], shape: /^gsk_[A-Za-z0-9]{52}$/ },
  { prefixes: ['r8_'], rules: ['replicate-api-token'], shape: /^r8_[A-Za-z0-9]{37}$/ },
  { prefixes: ['AIza'], rules: ['google-api-key'], shape: /^AIza[A-Za-z0-9_-]{35}$/ },
  { prefixes: ['lin_api_'], rules: ['linear-api-key'], shape: /^lin_api_[A-Za-z0-9]{40}$/ },
  { prefixes: ['PMAK-'], rules: ['postman-api-key'], shape: /^PMAK-[a-f0-9]{24}-[a-f0-9]{34}$/ },
  { prefixes: ['CFPAT-'], rules: ['contentful-pat'], shape: /^CFPAT-[A-Za-z0-9_-]{43}$/ },
  { prefixes: ['NRAK-'], rules: ['newrelic-user-api-key'], shape: /^NRAK-[A-Z0-9]{27}$/ },
  { prefixes: ['dt0c01.'], rules: ['dynatrace-api-token'], shape: /^dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}$/ },
];

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Any of the prefixes at the start of a value (one test for the values that carry none). */
const ANY_PREFIX = new RegExp(
  `^(?:${PROVIDER_FORMATS.flatMap((format) => format.prefixes.map(escape)).join('|')})`,
);

/** Whether a value that carries a provider's prefix is a well-formed token of that provider. */
function wellFormed(format: ProviderFormat, secret: string): boolean {
  if (!format.shape.test(secret)) return false;
  return format.validate === undefined || VALIDATORS[format.validate]?.(secret) === true;
}

/** The formats whose prefixes start the value (none for almost every value). */
export function providerFormatsOf(secret: string): ProviderFormat[] {
  if (!ANY_PREFIX.test(secret)) return [];
  return PROVIDER_FORMATS.filter((format) => format.prefixes.some((prefix) => secret.startsWith(prefix)));
}

/** Values with a provider's prefix that fail its provider rule's checks: fakes of that format, not secrets. */
export const notProviderLookalike: Filter = (secret) => {
  const formats = providerFormatsOf(secret);
  return formats.length === 0 || formats.some((format) => wellFormed(format, secret));
};
