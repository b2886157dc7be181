/**
 * The verifier table: for each rule whose secret a provider can be asked about, one read-only
 * request to the provider's documented API. Each entry is written from the provider's public API
 * documentation: a fixed HTTPS host (never one from scanned content), the method and path, how the
 * secret is sent, and which answers mean live or revoked. Anything else is `unknown`.
 */

/** How the secret travels in the request. `{name}` in a template is a named group of `accepts`, `{secret}` the secret, `{pair}` its paired identifier. */
export type Send =
  | { kind: 'bearer' }
  | { kind: 'header'; name: string; template: string }
  | { kind: 'basic'; user: string; password: string }
  /** Only in the path template (Telegram's bot URL, a Discord webhook). */
  | { kind: 'path' }
  /** AWS Signature Version 4 with the paired access key id: the only entry that needs code. */
  | { kind: 'aws-sigv4'; service: string; region: string };

/** Providers whose hosts the user lists in the top config (`verify-hosts`): they are not one fixed host. */
export type HostList = 'gitlab' | 'shopify';

/** One verifier: a declarative description of the request and of the answers. */
export interface VerifierSpec {
  /** Provider name, shown in reasons; a rate-limit answer stops every request to it for the run. */
  provider: string;
  /** Rule ids whose findings this entry verifies. */
  rules: readonly string[];
  /** The provider's documented API host; absent when only hosts the user lists can check the secret. */
  host?: string;
  /**
   * The hosts the user lists under this name in the top config, when given, replace `host` and
   * `regionHosts` (a list of none: no host is asked). The secret is live if one of them accepts it,
   * revoked only if every one rejects it; a rate limit stops only the host that answered it.
   */
  hostList?: HostList;
  /** Other regions' hosts of the same API, asked in turn while the answer is "revoked" (a key of another region is rejected by the first). */
  regionHosts?: readonly string[];
  method: 'GET' | 'POST';
  /** Path and query; template values are percent-encoded. */
  path: string;
  send: Send;
  /** Fixed extra headers (API versions, content types). */
  headers?: Readonly<Record<string, string>>;
  /** Fixed request body (GraphQL query, form); never holds the secret. */
  body?: string;
  /** The secrets this entry can check; its named groups are template values. Others are `unknown`. */
  accepts?: RegExp;
  /** Why a secret `accepts` does not match is not checked. */
  notAccepted?: string;
  /** The identifier issued with the secret (rule `pair`) is needed: AWS key id, Twilio account SID. */
  needsPair?: { ruleId: string; pattern: RegExp };
  /** Status codes that mean the provider accepts the secret (with `liveBody`, if given, in the body). */
  live: readonly number[];
  liveBody?: RegExp;
  /** Status codes that mean it rejects the secret (with `revokedBody`, if given, in the body). */
  revoked: readonly number[];
  revokedBody?: RegExp;
  /** Answers among `live` that mean "valid but not allowed here", shown in the reason. */
  liveButForbidden?: readonly number[];
}

const GITHUB_TOKENS = [
  'github-pat',
  'github-fine-grained-pat',
  'github-oauth-token',
  'github-user-to-server-token',
  'github-server-to-server-token',
];

const SLACK_REVOKED =
  /"error"\s*:\s*"(?:invalid_auth|not_authed|account_inactive|token_revoked|token_expired)"/;

/**
 * Linear's GraphQL API asked for the viewer. (Unsure: Linear may answer a bad key with 400 and an
 * AUTHENTICATION_ERROR in the body rather than 401; both count.)
 */
const LINEAR: Omit<VerifierSpec, 'rules' | 'send'> = {
  provider: 'Linear',
  host: 'api.linear.app',
  method: 'POST',
  path: '/graphql',
  headers: { 'Content-Type': 'application/json' },
  body: '{"query":"{ viewer { id } }"}',
  live: [200],
  liveBody: /"viewer"/,
  revoked: [400, 401],
  revokedBody: /AUTHENTICATION_ERROR|[Aa]uthentication required/,
};

/** Anthropic's API: the key in x-api-key, with the API version it requires. */
const ANTHROPIC: Omit<VerifierSpec, 'rules' | 'path'> = {
  provider: 'Anthropic',
  host: 'api.anthropic.com',
  method: 'GET',
  send: { kind: 'header', name: 'x-api-key', template: '{secret}' },
  headers: { 'anthropic-version': '2023-06-01' },
  live: [200],
  revoked: [401],
};

/** The common case: a GET with the secret as a Bearer token; 200 means live, 401 revoked. */
const bearerGet = (
  provider: string,
  rules: readonly string[],
  host: string,
  path: string,
  more: Partial<VerifierSpec> = {},
): VerifierSpec => ({
  provider,
  rules,
  host,
  method: 'GET',
  path,
  send: { kind: 'bearer' },
  live: [200],
  revoked: [401],
  ...more,
});

/** A key the provider knows but that may not read the resource asked for (403) is still live. */
const FORBIDDEN_IS_LIVE = { live: [200, 403], liveButForbidden: [403] };

/** Every verifier. Rules not listed here are reported as `unknown` (no verifier). */
export const VERIFIERS: readonly VerifierSpec[] = [
  // GET /rate_limit answers every kind of token (installation tokens cannot call /user) and does
  // not count against the rate limit; a bad token gets 401 "Bad credentials".
  bearerGet('GitHub', GITHUB_TOKENS, 'api.github.com', '/rate_limit', {
    headers: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' },
  }),
  {
    // GET /personal_access_tokens/self describes the token it is called with. gitlab.com, or the
    // self-hosted instances the user lists instead (verify-hosts.gitlab), never a host from a file.
    provider: 'GitLab',
    rules: ['gitlab-pat'],
    host: 'gitlab.com',
    hostList: 'gitlab',
    method: 'GET',
    path: '/api/v4/personal_access_tokens/self',
    send: { kind: 'header', name: 'PRIVATE-TOKEN', template: '{secret}' },
    live: [200],
    revoked: [401],
  },
  {
    // auth.test answers HTTP 200 either way; the JSON says ok or names the error.
    provider: 'Slack',
    rules: ['slack-bot-token', 'slack-user-token'],
    host: 'slack.com',
    method: 'POST',
    path: '/api/auth.test',
    send: { kind: 'bearer' },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: '',
    live: [200],
    liveBody: /"ok"\s*:\s*true/,
    revoked: [200],
    revokedBody: SLACK_REVOKED,
  },
  // A restricted key without balance access gets 403, which still means Stripe knows the key.
  bearerGet(
    'Stripe',
    ['stripe-secret-key', 'stripe-secret-key-test', 'stripe-restricted-key', 'stripe-restricted-key-test'],
    'api.stripe.com',
    '/v1/balance',
    { ...FORBIDDEN_IS_LIVE },
  ),
  {
    // STS GetCallerIdentity needs no permission and changes nothing; signed with the key pair.
    // InvalidClientTokenId: no such key id; SignatureDoesNotMatch: the secret is not the key id's.
    provider: 'AWS',
    rules: ['aws-secret-access-key'],
    host: 'sts.amazonaws.com',
    method: 'POST',
    path: '/',
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    send: { kind: 'aws-sigv4', service: 'sts', region: 'us-east-1' },
    needsPair: { ruleId: 'aws-access-key-id', pattern: /^AKIA[A-Z2-7]{16}$/ },
    live: [200],
    liveBody: /<GetCallerIdentityResult>/,
    revoked: [403],
    revokedBody: /<Code>(?:InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken)<\/Code>/,
  },
  {
    // Google API keys have no identity endpoint. The Generative Language API's model list is one
    // call any key can make: 400 API_KEY_INVALID rejects the key; 403 means the key is valid but
    // that API is not enabled or is restricted for it. (Unsure: other error codes for keys that
    // Google has disabled; those stay unknown.)
    provider: 'Google',
    rules: ['google-api-key'],
    host: 'generativelanguage.googleapis.com',
    method: 'GET',
    path: '/v1beta/models?pageSize=1',
    send: { kind: 'header', name: 'x-goog-api-key', template: '{secret}' },
    live: [200, 403],
    liveButForbidden: [403],
    revoked: [400],
    revokedBody: /API_KEY_INVALID/,
  },
  bearerGet('OpenAI', ['openai-api-key'], 'api.openai.com', '/v1/models', { ...FORBIDDEN_IS_LIVE }),
  // Admin keys only work on the organization endpoints. (Unsure: whether a revoked admin key
  // always gets 401 rather than 403.)
  bearerGet('OpenAI', ['openai-admin-key'], 'api.openai.com', '/v1/organization/users?limit=1'),
  { ...ANTHROPIC, rules: ['anthropic-api-key'], path: '/v1/models?limit=1' },
  // Admin keys only work on the Admin API.
  { ...ANTHROPIC, rules: ['anthropic-admin-key'], path: '/v1/organizations/users?limit=1' },
  bearerGet(
    'Hugging Face',
    ['huggingface-token', 'huggingface-org-token'],
    'huggingface.co',
    '/api/whoami-v2',
  ),
  bearerGet('npm', ['npm-access-token'], 'registry.npmjs.org', '/-/whoami'),
  {
    // PyPI has no read-only endpoint for API tokens; the upload endpoint checks credentials before
    // the form. An upload request without a file (nothing is uploaded) gets 403 for a bad token and
    // 400 (invalid form) for a good one. (Unsure: this ordering is observed behaviour of Warehouse's
    // legacy upload API, not a documented guarantee; any other answer stays unknown.)
    provider: 'PyPI',
    rules: ['pypi-api-token'],
    host: 'upload.pypi.org',
    method: 'POST',
    path: '/legacy/',
    send: { kind: 'basic', user: '__token__', password: '{secret}' },
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: ':action=file_upload&protocol_version=1',
    accepts: /^pypi-AgEIcHlwaS5vcmc/,
    notAccepted: 'a TestPyPI token (test.pypi.org is not contacted)',
    live: [400],
    revoked: [403],
  },
  bearerGet('SendGrid', ['sendgrid-api-key'], 'api.sendgrid.com', '/v3/scopes', { ...FORBIDDEN_IS_LIVE }),
  {
    // The account resource, fetched with the account SID and its auth token (HTTP Basic).
    provider: 'Twilio',
    rules: ['twilio-auth-token'],
    host: 'api.twilio.com',
    method: 'GET',
    path: '/2010-04-01/Accounts/{pair}.json',
    send: { kind: 'basic', user: '{pair}', password: '{secret}' },
    needsPair: { ruleId: 'twilio-account-sid', pattern: /^AC[0-9a-f]{32}$/ },
    live: [200],
    revoked: [401],
  },
  {
    // US and EU regions have separate hosts; a key of one is rejected by the other.
    provider: 'Mailgun',
    rules: ['mailgun-api-key'],
    host: 'api.mailgun.net',
    regionHosts: ['api.eu.mailgun.net'],
    method: 'GET',
    path: '/v3/domains?limit=1',
    send: { kind: 'basic', user: 'api', password: '{secret}' },
    live: [200],
    revoked: [401],
  },
  {
    // /api/v1/validate is Datadog's documented key check; each site has its own host. (The
    // US3, US5, AP1 and government sites are not asked: a key of theirs stays unknown.)
    provider: 'Datadog',
    rules: ['datadog-api-key'],
    host: 'api.datadoghq.com',
    regionHosts: ['api.datadoghq.eu'],
    method: 'GET',
    path: '/api/v1/validate',
    send: { kind: 'header', name: 'DD-API-KEY', template: '{secret}' },
    accepts: /^[a-f0-9]{32}$/,
    notAccepted: 'an application key, which is checked only together with an API key',
    live: [200],
    liveBody: /"valid"\s*:\s*true/,
    revoked: [403],
  },
  bearerGet('DigitalOcean', ['digitalocean-token'], 'api.digitalocean.com', '/v2/account'),
  bearerGet('Heroku', ['heroku-api-key'], 'api.heroku.com', '/account', {
    headers: { Accept: 'application/vnd.heroku+json; version=3' },
  }),
  {
    provider: 'Discord',
    rules: ['discord-bot-token'],
    host: 'discord.com',
    method: 'GET',
    path: '/api/v10/users/@me',
    send: { kind: 'header', name: 'Authorization', template: 'Bot {secret}' },
    live: [200],
    revoked: [401],
  },
  {
    // GET on a webhook with its token returns the webhook and posts nothing. The request goes to
    // discord.com whatever host the URL in the file names; only the id and token are taken from it.
    provider: 'Discord',
    rules: ['discord-webhook-url'],
    host: 'discord.com',
    method: 'GET',
    path: '/api/webhooks/{id}/{token}',
    send: { kind: 'path' },
    accepts: /\/api\/webhooks\/(?<id>[0-9]{17,20})\/(?<token>[A-Za-z0-9_-]{60,68})$/,
    live: [200],
    revoked: [401, 404],
  },
  {
    // The Bot API authenticates by the token in the path; getMe returns the bot's own user.
    provider: 'Telegram',
    rules: ['telegram-bot-token'],
    host: 'api.telegram.org',
    method: 'GET',
    path: '/bot{secret}/getMe',
    send: { kind: 'path' },
    live: [200],
    revoked: [401, 404],
  },
  {
    // A token belongs to one shop and only that shop's host can check it: the shops the user lists
    // (verify-hosts.shopify), else none. GET shop.json describes the shop, which any app may read;
    // a token of another shop, or of an uninstalled app, gets 401. 403 is Shopify's documented
    // answer for a missing access scope, so the token is known. A retired API version falls forward
    // to the oldest supported one, so the version in the path does not expire. (Unsure: a frozen or
    // locked shop answers 402 or 423, which stay unknown.)
    provider: 'Shopify',
    rules: ['shopify-access-token'],
    hostList: 'shopify',
    method: 'GET',
    path: '/admin/api/2025-10/shop.json',
    send: { kind: 'header', name: 'X-Shopify-Access-Token', template: '{secret}' },
    ...FORBIDDEN_IS_LIVE,
    revoked: [401],
  },
  // Organization tokens carry their region's URL inside; it is not used (sentry.io only).
  bearerGet('Sentry', ['sentry-auth-token'], 'sentry.io', '/api/0/organizations/', { ...FORBIDDEN_IS_LIVE }),
  // Personal API keys go in Authorization without "Bearer", OAuth tokens with it.
  {
    ...LINEAR,
    rules: ['linear-api-key'],
    send: { kind: 'header', name: 'Authorization', template: '{secret}' },
  },
  bearerGet('Notion', ['notion-integration-token'], 'api.notion.com', '/v1/users/me', {
    headers: { 'Notion-Version': '2022-06-28' },
  }),
];

/** The verifier of each rule id. */
export const VERIFIER_BY_RULE: ReadonlyMap<string, VerifierSpec> = new Map(
  VERIFIERS.flatMap((spec) => spec.rules.map((ruleId) => [ruleId, spec] as const)),
);

/** Every fixed host a verifier may contact: with the hosts a top config lists, the only names KEYFENCE_VERIFY_HOSTS may route. */
export const VERIFIER_HOSTS: ReadonlySet<string> = new Set(
  VERIFIERS.flatMap((spec) => [...(spec.host === undefined ? [] : [spec.host]), ...(spec.regionHosts ?? [])]),
);
