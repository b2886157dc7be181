import { describe, expect, it } from 'vitest';
import { builtinRuleSet } from '../helpers/catalogue.js';

/**
 * Rules with keywords whose regex runs over the whole of every file that holds one of them, for
 * want of a window (where a match starts relative to its keyword): their regexes have unbounded
 * repetitions (`\s*`), so no window follows from their length (window.ts, reachWindow). Each was
 * measured cheap on source text; a rule that loses its window unnoticed is not: python-requests-auth took 40% of the
 * engine's time (its keyword `auth` is in every file that says author), and a second form added
 * to pusher-secret took its window away (BENCHMARKS.md). A new rule here needs a reason; most need
 * `window` (and `window-after`) instead, see the README's rule format.
 */
const RUN_OVER_WHOLE_FILES = new Set([
  'algolia-admin-key',
  'alibaba-access-key-secret',
  'amqp-connection-string',
  'apple-app-specific-password',
  'assemblyai-api-key',
  'aws-session-token',
  'azure-devops-pat-legacy',
  'azure-openai-key',
  'azure-storage-account-key',
  'box-client-secret',
  'bundler-source-credentials',
  'cloud-init-chpasswd',
  'cloudflare-api-token',
  'cloudflare-global-api-key',
  'datadog-api-key',
  'docker-password-stdin-echo',
  'elasticsearch-api-key',
  'elevenlabs-api-key',
  'exa-api-key',
  'expo-access-token',
  'facebook-app-secret',
  'http-bearer-token',
  'launchdarkly-key',
  'litellm-key',
  'microsoft-teams-webhook',
  'mongodb-connection-string',
  'mssql-connection-string',
  'mysql-connection-string',
  'neon-api-key',
  'npmrc-auth-token',
  'openvpn-static-key',
  'pagerduty-api-key',
  'pagerduty-routing-key',
  'pkcs12-keystore',
  'plivo-auth-token',
  'private-key-dsa',
  'private-key-ec',
  'private-key-openssh',
  'private-key-pgp',
  'private-key-pkcs8',
  'private-key-pkcs8-encrypted',
  'private-key-rsa',
  'pypirc-password',
  'redis-connection-string',
  'resend-api-key',
  'scaleway-secret-key',
  'smithery-api-key',
  'snyk-token',
  'sonarqube-legacy-token',
  'splunk-hec-token',
  'statsig-server-secret',
  'twilio-access-token',
  'twilio-auth-token',
  'vultr-api-key',
  'wise-api-token',
  'yandex-cloud-access-secret',
]);

describe('windows', () => {
  it('every rule with keywords has a window, but for the known few that run over whole files', async () => {
    const ruleSet = await builtinRuleSet();
    const global = ruleSet.rules.filter((rule) => rule.keywords.length > 0 && rule.window === undefined);
    expect(global.map((rule) => rule.id).filter((id) => !RUN_OVER_WHOLE_FILES.has(id))).toEqual([]);
  });
});
