import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinRules, VERIFIERS, verifyFindings } from '../../src/index.js';
import type { Finding } from '../../src/engine/types.js';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { runCli } from '../helpers/cli.js';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';
import {
  ALPHA,
  awsAccessKeyId,
  awsSecretKey,
  githubToken,
  googleApiKey,
  randomString,
  stripeKey,
} from '../helpers/tokens.js';
import {
  ProviderServer,
  routesTo,
  runBinAsync,
  runActionBundle,
  testCertificate,
  type Answers,
  type Behaviour,
} from './helpers.js';
import { parseVerifyHosts } from '../../src/verify/hosts.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
const USER_AGENT = `keyfence/${VERSION}`;

const ok = (body = '{}'): [number, string] => [200, body];
const unauthorized: [number, string] = [401, '{"message":"Unauthorized"}'];
/** Each provider's documented answer to a live and to a revoked credential, and the request it documents. */
const ANSWERS: Answers = {
  'api.github.com': { live: ok(), revoked: [401, '{"message":"Bad credentials"}'] },
  'gitlab.com': { live: ok(), revoked: unauthorized },
  'slack.com': { live: ok('{"ok":true,"team":"t"}'), revoked: ok('{"ok":false,"error":"invalid_auth"}') },
  'api.stripe.com': { live: ok(), revoked: unauthorized },
  'sts.amazonaws.com': {
    live: ok(
      '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>',
    ),
    revoked: [403, '<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>'],
  },
  'generativelanguage.googleapis.com': {
    live: ok('{"models":[]}'),
    revoked: [
      400,
      '{"error":{"code":400,"status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}',
    ],
  },
  'api.openai.com': { live: ok(), revoked: unauthorized },
  'api.anthropic.com': { live: ok(), revoked: unauthorized },
  'huggingface.co': { live: ok(), revoked: unauthorized },
  'registry.npmjs.org': { live: ok('{"username":"u"}'), revoked: unauthorized },
  'upload.pypi.org': {
    live: [400, 'Invalid distribution'],
    revoked: [403, 'Invalid or non-existent authentication information.'],
  },
  'api.sendgrid.com': { live: ok(), revoked: unauthorized },
  'api.twilio.com': { live: ok(), revoked: unauthorized },
  'api.mailgun.net': { live: ok(), revoked: unauthorized },
  'api.eu.mailgun.net': { live: ok(), revoked: unauthorized },
  'api.datadoghq.com': { live: ok('{"valid":true}'), revoked: [403, '{"errors":["Forbidden"]}'] },
  'api.datadoghq.eu': { live: ok('{"valid":true}'), revoked: [403, '{"errors":["Forbidden"]}'] },
  'api.digitalocean.com': { live: ok(), revoked: unauthorized },
  'api.heroku.com': { live: ok(), revoked: unauthorized },
  'discord.com': { live: ok(), revoked: unauthorized },
  'api.telegram.org': { live: ok('{"ok":true}'), revoked: unauthorized },
  'sentry.io': { live: ok('[]'), revoked: unauthorized },
  'api.linear.app': {
    live: ok('{"data":{"viewer":{"id":"u"}}}'),
    revoked: [
      400,
      '{"errors":[{"message":"Authentication required","extensions":{"code":"AUTHENTICATION_ERROR"}}]}',
    ],
  },
  'api.notion.com': { live: ok(), revoked: unauthorized },
};

/** The request each provider documents for checking a credential: method and path (the secret elided). */
const REQUESTS: Record<string, RegExp> = {
  'api.github.com': /^GET \/rate_limit$/,
  'gitlab.com': /^GET \/api\/v4\/personal_access_tokens\/self$/,
  'slack.com': /^POST \/api\/auth\.test$/,
  'api.stripe.com': /^GET \/v1\/balance$/,
  'sts.amazonaws.com': /^POST \/$/,
  'generativelanguage.googleapis.com': /^GET \/v1beta\/models/,
  'api.openai.com': /^GET \/v1\/models$/,
  'api.anthropic.com': /^GET \/v1\/models/,
  'huggingface.co': /^GET \/api\/whoami-v2$/,
  'registry.npmjs.org': /^GET \/-\/whoami$/,
  'upload.pypi.org': /^POST \/legacy\/$/,
  'api.sendgrid.com': /^GET \/v3\/scopes$/,
  'api.twilio.com': /^GET \/2010-04-01\/Accounts\/AC[0-9a-f]{32}\.json$/,
  'api.mailgun.net': /^GET \/v3\/domains/,
  'api.eu.mailgun.net': /^GET \/v3\/domains/,
  'api.datadoghq.com': /^GET \/api\/v1\/validate$/,
  'api.datadoghq.eu': /^GET \/api\/v1\/validate$/,
  'api.digitalocean.com': /^GET \/v2\/account$/,
  'api.heroku.com': /^GET \/account$/,
  'discord.com': /^GET \/api\/(?:v10\/users\/@me|webhooks\/[0-9]+\/[A-Za-z0-9_-]+)$/,
  'api.telegram.org': /^GET \/bot[0-9]+:AA[A-Za-z0-9_-]{33}\/getMe$/,
  'sentry.io': /^GET \/api\/0\/organizations\/$/,
  'api.linear.app': /^POST \/graphql$/,
  'api.notion.com': /^GET \/v1\/users\/me$/,
};

const hex = (length: number, seed: number) => randomString(ALPHA.hex, length, seed);
const alnum = (length: number, seed: number) => randomString(ALPHA.alnum, length, seed);
const url64 = (length: number, seed: number) => randomString(ALPHA.base64url, length, seed);

/** One file line per provider credential, and the value the test server recognises it by. */
function credential(kind: string, seed: number): { text: string; marker: string } {
  const line = (secret: string, name = 'KEY') => ({ text: `${name}=${secret}\n`, marker: secret });
  switch (kind) {
    case 'github':
      return line(githubToken(seed % 2 ? 'ghp' : 'ghs', seed));
    case 'gitlab':
      return line(`glpat-${url64(20, seed)}`);
    case 'slack':
      return line(
        `xoxb-${randomString(ALPHA.digits, 12, seed)}-${randomString(ALPHA.digits, 12, seed + 1)}-${alnum(24, seed)}`,
      );
    case 'stripe':
      return line(stripeKey('sk_live', seed));
    case 'stripe-test':
      return line(stripeKey('sk_test', seed));
    case 'aws': {
      const id = awsAccessKeyId(seed);
      return {
        text: `aws_access_key_id = ${id}\naws_secret_access_key = ${awsSecretKey(seed)}\n`,
        marker: id,
      };
    }
    case 'google':
      return line(googleApiKey(seed));
    case 'openai':
      return line(`sk-proj-${url64(24, seed)}T3BlbkFJ${url64(24, seed + 1)}`);
    case 'anthropic':
      return line(`sk-ant-api03-${url64(93, seed)}AA`);
    case 'huggingface':
      return line(`hf_${alnum(34, seed)}`);
    case 'npm':
      return line(`npm_${alnum(36, seed)}`);
    case 'pypi':
      return line(`pypi-AgEIcHlwaS5vcmc${url64(60, seed)}`);
    case 'sendgrid':
      return line(`SG.${url64(22, seed)}.${url64(43, seed + 1)}`);
    case 'twilio': {
      const token = hex(32, seed);
      return {
        text: `TWILIO_ACCOUNT_SID=AC${hex(32, seed + 1)}\nTWILIO_AUTH_TOKEN=${token}\n`,
        marker: token,
      };
    }
    case 'mailgun':
      return line(`key-${hex(32, seed)}`);
    case 'datadog':
      return line(hex(32, seed), 'DD_API_KEY');
    case 'digitalocean':
      return line(`dop_v1_${hex(64, seed)}`);
    case 'heroku':
      return line(`HRKU-${url64(60, seed)}`);
    case 'discord':
      return line(`M${alnum(25, seed)}.${url64(6, seed)}.${url64(38, seed + 1)}`, 'DISCORD_TOKEN');
    case 'discord-webhook': {
      const token = url64(68, seed);
      return {
        text: `HOOK=https://discord.com/api/webhooks/${randomString(ALPHA.digits, 18, seed)}/${token}\n`,
        marker: token,
      };
    }
    case 'telegram':
      return line(`${randomString(ALPHA.digits, 10, seed)}:AA${url64(33, seed)}`);
    case 'sentry':
      return line(`sntryu_${hex(64, seed)}`);
    case 'linear':
      return line(`lin_api_${alnum(40, seed)}`);
    default:
      return line(`ntn_${randomString(ALPHA.digits, 11, seed)}${alnum(35, seed)}`);
  }
}

const PROVIDERS = [
  'github',
  'gitlab',
  'slack',
  'stripe',
  'aws',
  'google',
  'openai',
  'anthropic',
  'huggingface',
  'npm',
  'pypi',
  'sendgrid',
  'twilio',
  'mailgun',
  'datadog',
  'digitalocean',
  'heroku',
  'discord',
  'discord-webhook',
  'telegram',
  'sentry',
  'linear',
  'notion',
];

let server: ProviderServer;
let port: number;
let tls: ReturnType<typeof testCertificate>;
let findingsOf: (files: Record<string, string>) => Finding[];

beforeAll(async () => {
  tls = testCertificate();
  server = new ProviderServer(tls, ANSWERS, 20);
  port = await server.listen();
  const ruleSet = await builtinRuleSet();
  findingsOf = (files) =>
    Object.entries(files).flatMap(([path, content]) => scanText(ruleSet, content, path));
});
afterAll(async () => {
  await server.close();
  rmSync(tls.dir, { recursive: true, force: true });
});

/** Files holding the credentials, each told to the server with its behaviour; the markers by kind. */
function plant(entries: [kind: string, seed: number, behaviour: Behaviour][]): {
  files: Record<string, string>;
  markers: string[];
} {
  const files: Record<string, string> = {};
  const markers: string[] = [];
  for (const [kind, seed, behaviour] of entries) {
    const { text, marker } = credential(kind, seed);
    server.behaviours.set(marker, behaviour);
    files[`${kind}-${seed}.env`] = text;
    markers.push(marker);
  }
  return { files, markers };
}

const options = (extra: Partial<Parameters<typeof verifyFindings>[1]> = {}) => ({
  userAgent: USER_AGENT,
  routes: parseVerifyHosts(routesTo(port)),
  ca: tls.cert,
  ...extra,
});

describe('verification against providers (local HTTPS server)', () => {
  it('has verifiers for at least 20 providers, each for built-in rules, each host an HTTPS API name', async () => {
    const ids = new Set((await loadBuiltinRules()).map((rule) => rule.id));
    expect(new Set(VERIFIERS.map((spec) => spec.provider)).size).toBeGreaterThanOrEqual(20);
    for (const spec of VERIFIERS) {
      for (const id of [...spec.rules, ...(spec.needsPair ? [spec.needsPair.ruleId] : [])])
        expect(ids.has(id), id).toBe(true);
      // Shopify has no fixed host: only the shops a config lists (verify-hosts.test.ts).
      if (spec.host !== undefined) expect(ANSWERS[spec.host], spec.host).toBeDefined();
      else expect(spec.hostList, spec.provider).toBeDefined();
    }
  });

  it('tells live from revoked secrets for every provider, one documented read-only request per distinct secret, at most 8 at a time', async () => {
    const { files, markers } = plant(
      PROVIDERS.flatMap((kind, index): [string, number, Behaviour][] => [
        [kind, 7100 + index * 2, 'live'],
        [kind, 7101 + index * 2, 'revoked'],
      ]),
    );
    // The same token in a second file is asked about once; a Mailgun key of the EU region is found live there.
    files['copy.env'] = files['github-7100.env'] ?? '';
    Object.assign(files, plant([['mailgun', 7300, 'eu-only']]).files);
    const findings = findingsOf(files);
    const seenBefore = server.seen.length;
    server.maxInFlight = 0;
    const verified = await verifyFindings(findings, options());
    const requests = server.seen.slice(seenBefore);

    const statusOf = (marker: string) =>
      verified
        .filter((finding) => finding.secret.includes(marker) || finding.pairedWith?.secret === marker)
        .map((finding) => finding.verification?.status);
    PROVIDERS.forEach((kind, index) => {
      expect(statusOf(markers[index * 2] ?? '?'), `${kind} live`).toEqual(
        kind === 'github' ? ['live', 'live'] : ['live'],
      );
      expect(statusOf(markers[index * 2 + 1] ?? '?'), `${kind} revoked`).toEqual(['revoked']);
    });
    expect(verified.find((finding) => finding.path === 'mailgun-7300.env')?.verification?.reason).toBe(
      'accepted by api.eu.mailgun.net (HTTP 200)',
    );
    const revokedMailgun = verified.find(
      (finding) => finding.path === `mailgun-${7101 + PROVIDERS.indexOf('mailgun') * 2}.env`,
    );
    expect(revokedMailgun?.verification?.reason).toBe('rejected by api.mailgun.net and api.eu.mailgun.net');

    // One request per distinct secret; the Mailgun and Datadog keys the US rejects are asked in the EU
    // too (+2), and the EU-only Mailgun key is asked in both (+2).
    expect(requests).toHaveLength(PROVIDERS.length * 2 + 4);
    for (const request of requests) {
      expect(REQUESTS[request.host], request.host).toBeDefined();
      expect(`${request.method} ${request.path}`).toMatch(REQUESTS[request.host] ?? /^$/);
      expect(request.headers['user-agent']).toBe(USER_AGENT);
    }
    // AWS: signed with the pair (SigV4), the secret access key never sent.
    const aws = requests.filter((request) => request.host === 'sts.amazonaws.com');
    expect(aws).toHaveLength(2);
    for (const request of aws) {
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIA[A-Z2-7]{16}\/\d{8}\/us-east-1\/sts\/aws4_request, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$/,
      );
      expect(request.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    }
    const awsSecrets = verified
      .filter((finding) => finding.ruleId === 'aws-secret-access-key')
      .map((finding) => finding.secret);
    expect(awsSecrets).toHaveLength(2);
    for (const secret of awsSecrets)
      expect(requests.some((request) => request.text.includes(secret))).toBe(false);

    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(server.maxInFlight).toBeLessThanOrEqual(8);
    for (const finding of verified) {
      expect(finding.verification?.reason).not.toContain(finding.secret);
      expect(Number.isNaN(Date.parse(finding.verification?.checkedAt ?? ''))).toBe(false);
    }
  });

  it('answers that do not tell are unknown with a reason: rate limit (which stops that provider), 5xx, redirect (not followed), timeout, untrusted certificate, no verifier, config rules, odd path values', async () => {
    const { files } = plant([
      ['github', 7401, 'rate-limited'],
      ['github', 7402, 'live'],
      ['stripe', 7403, 'server-error'],
      ['telegram', 7404, 'redirect'],
      ['npm', 7405, 'slow'],
      ['notion', 7410, 'live'],
      ['telegram', 7411, 'live'],
    ]);
    files['lone.ini'] = `aws_access_key_id = ${awsAccessKeyId(7406)}\n`;
    files['jwt.txt'] = `token: eyJhbGciOiJIUzI1NiJ9.${url64(40, 7407)}.${url64(43, 7408)}\n`;
    const seenBefore = server.seen.length;
    // A finding whose path value is not one plain segment (a config rule reusing a built-in id can
    // match anything) is not sent; nor is any finding of a rule a config defines.
    const findings = findingsOf(files).map((finding) =>
      finding.path === 'telegram-7411.env' ? { ...finding, secret: `${finding.secret}/../../x` } : finding,
    );
    const verified = await verifyFindings(
      findings,
      options({ concurrency: 1, timeoutMs: 300, customRules: new Set(['notion-integration-token']) }),
    );
    const reasons = Object.fromEntries(
      verified.map((finding) => [
        finding.path,
        `${finding.verification?.status ?? ''}: ${finding.verification?.reason ?? ''}`,
      ]),
    );
    expect(reasons).toMatchObject({
      'github-7401.env':
        'unknown: rate-limited by api.github.com (HTTP 429); no more GitHub requests this run',
      'github-7402.env': 'unknown: not checked: GitHub rate-limited an earlier request in this run',
      'stripe-7403.env': 'unknown: api.stripe.com failed (HTTP 503)',
      'telegram-7404.env': 'unknown: api.telegram.org answered with a redirect (HTTP 302), not followed',
      'npm-7405.env': 'unknown: no answer from registry.npmjs.org within 0.3 s',
      'lone.ini':
        'unknown: not checked: verified only together with its aws-secret-access-key, and none was found nearby',
      'notion-7410.env': 'unknown: not checked: rules from a config are never verified',
      'telegram-7411.env': 'unknown: not checked: not a form the verifier can check',
    });
    expect(reasons['jwt.txt']).toMatch(/^unknown: no verifier for /);
    // The second GitHub token was never sent, and nothing followed the redirect.
    expect(server.seen.slice(seenBefore).map((request) => request.host)).toEqual([
      'api.github.com',
      'api.stripe.com',
      'api.telegram.org',
      'registry.npmjs.org',
    ]);

    // TLS is verified: without the test CA, the provider name's certificate is not trusted.
    const untrusted = await verifyFindings(
      findingsOf(plant([['huggingface', 7409, 'live']]).files),
      options({ ca: undefined }),
    );
    expect(untrusted[0]?.verification?.status).toBe('unknown');
    expect(untrusted[0]?.verification?.reason).toMatch(
      /^request to huggingface\.co failed \((?:SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)$/,
    );
  });
});

describe('keyfence scan --verify (built CLI)', () => {
  it('reports LIVE, revoked and unverified in console, JSON and SARIF; --fail-on-verified and --only-verified; no secret in any output', async () => {
    const { files, markers } = plant([
      ['github', 7501, 'live'],
      ['stripe', 7502, 'revoked'],
      ['slack', 7503, 'server-error'],
    ]);
    const dir = makeTree(files);
    const env = { KEYFENCE_VERIFY_HOSTS: routesTo(port), NODE_EXTRA_CA_CERTS: tls.caFile };
    const seenBefore = server.seen.length;
    const [json, sarif, consoleRun, noLive] = await Promise.all([
      runBinAsync(['scan', '.', '--verify', '--fail-on-verified', '-f', 'json'], dir, env),
      runBinAsync(['scan', '.', '--verify', '--only-verified', '-f', 'sarif'], dir, env),
      runBinAsync(['scan', '.', '--verify'], dir, env),
      runBinAsync(['scan', 'stripe-7502.env', '--verify', '--fail-on-verified'], dir, env),
    ]);
    expect(
      server.seen.slice(seenBefore).every((request) => request.headers['user-agent'] === USER_AGENT),
    ).toBe(true);

    expect(json.exitCode, json.stderr).toBe(1);
    const report = JSON.parse(json.stdout) as {
      summary: { verification: unknown };
      findings: { ruleId: string; verification: { status: string; reason: string; checkedAt: string } }[];
    };
    expect(report.summary.verification).toEqual({ live: 1, revoked: 1, unknown: 1 });
    expect(
      Object.fromEntries(report.findings.map((finding) => [finding.ruleId, finding.verification.status])),
    ).toEqual({
      'github-pat': 'live',
      'stripe-secret-key': 'revoked',
      'slack-bot-token': 'unknown',
    });

    const log = JSON.parse(sarif.stdout) as {
      runs: {
        results: { ruleId: string; level: string; properties: { verification: { status: string } } }[];
      }[];
    };
    const results = log.runs[0]?.results ?? [];
    expect(
      results.map((result) => [result.ruleId, result.level, result.properties.verification.status]),
    ).toEqual([['github-pat', 'error', 'live']]);

    expect(consoleRun.stdout).toMatch(/^github-pat .* \[high\] LIVE$/m);
    expect(consoleRun.stdout).toMatch(/^stripe-secret-key .* \[critical\] revoked$/m);
    expect(consoleRun.stdout).toMatch(/^slack-bot-token .* \[high\] unverified$/m);
    expect(consoleRun.stdout).toContain('= verification: live: accepted by api.github.com (HTTP 200)');
    expect(consoleRun.stdout).toContain('verification: 1 LIVE, 1 revoked, 1 unverified');
    // Only live secrets fail with --fail-on-verified; without it, any finding does.
    expect(noLive.exitCode, noLive.stderr).toBe(0);
    expect(consoleRun.exitCode).toBe(1);

    for (const output of [json, sarif, consoleRun, noLive].flatMap((run) => [run.stdout, run.stderr]))
      for (const marker of markers) expect(output).not.toContain(marker);
  });

  it('bad verification settings are one-line errors (exit 2) before anything is contacted', async () => {
    const dir = makeTree({ 'a.env': credential('github', 7601).text });
    const run = (args: string[], env: Record<string, string> = {}) =>
      runCli(['scan', '.', ...args], { cwd: dir, env });
    const cases = await Promise.all([
      run(['--verify'], { KEYFENCE_VERIFY_HOSTS: 'api.github.com=10.1.2.3:443' }),
      run(['--verify'], { KEYFENCE_VERIFY_HOSTS: 'collector.example=127.0.0.1:443' }),
      run(['--verify'], { KEYFENCE_VERIFY_HOSTS: 'api.github.com=localhost' }),
      run(['--only-verified']),
      run(['--fail-on-verified']),
      run(['--verify', '--no-verify']),
    ]);
    expect(cases.map((result) => [result.exitCode, result.stderr])).toEqual([
      [
        2,
        'keyfence: KEYFENCE_VERIFY_HOSTS: api.github.com: 10.1.2.3 is not a loopback address (127.0.0.0/8 or ::1)\n',
      ],
      [2, 'keyfence: KEYFENCE_VERIFY_HOSTS: collector.example is not a host keyfence verifies against\n'],
      [
        2,
        'keyfence: KEYFENCE_VERIFY_HOSTS: "api.github.com=localhost" is not HOST=ADDRESS:PORT (e.g. api.github.com=127.0.0.1:8443)\n',
      ],
      [
        2,
        'keyfence: --only-verified: needs verification (--verify, or verify: true in the top .keyfence.yaml)\n',
      ],
      [
        2,
        'keyfence: --fail-on-verified: needs verification (--verify, or verify: true in the top .keyfence.yaml)\n',
      ],
      [2, 'keyfence: --verify and --no-verify: use one of them\n'],
    ]);
    expect(parseVerifyHosts('api.github.com=[::1]:8443').get('api.github.com')).toEqual({
      address: '::1',
      port: 8443,
    });
  });

  it('the top config turns verification on (for --staged too); a config further down cannot, and --no-verify wins', async () => {
    const bad = { KEYFENCE_VERIFY_HOSTS: 'api.github.com=10.1.2.3:443' };
    // A bad route is checked only when verification is on: exit 2 shows it was, exit 1 that it was not.
    const top = makeGitRepo({ '.keyfence.yaml': 'verify: true\n', 'a.env': credential('github', 7701).text });
    git(top, 'add', '.');
    const nested = makeGitRepo({
      'a.env': credential('github', 7702).text,
      'vendor/.keyfence.yaml': 'verify: true\n',
      'vendor/b.env': credential('github', 7703).text,
    });
    const [onTop, staged, offTop, below] = await Promise.all([
      runCli(['scan', '.'], { cwd: top, env: bad }),
      runCli(['scan', '--staged'], { cwd: top, env: bad }),
      runCli(['scan', '.', '--no-verify'], { cwd: top, env: bad }),
      runCli(['scan', '.'], { cwd: nested, env: bad }),
    ]);
    expect([onTop.exitCode, staged.exitCode, offTop.exitCode, below.exitCode]).toEqual([2, 2, 1, 1]);
    expect(staged.stderr).toContain('is not a loopback address');
    expect(below.stdout).toContain(
      'note: vendor/.keyfence.yaml: verify is read only from the config at the repository top (or --config); ignored here',
    );
    const wrongType = await runCli(['scan', '.'], {
      cwd: makeTree({ '.keyfence.yaml': 'verify: yes please\n' }),
    });
    expect([wrongType.exitCode, wrongType.stderr]).toEqual([
      2,
      'keyfence: .keyfence.yaml:1: verify: expected true or false\n',
    ]);
  });
});

describe('the GitHub Action with verify: true (built bundle)', () => {
  it('shows each finding’s status in the job summary, live first, and makes a live secret a SARIF error', async () => {
    // Low-severity test-mode keys: SARIF level note, unless live.
    const { files } = plant([
      ['stripe-test', 7801, 'revoked'],
      ['stripe-test', 7803, 'live'],
    ]);
    const repo = makeGitRepo(files);
    commit(repo, 'add config');
    const run = await runActionBundle(repo, {
      INPUT_VERIFY: 'true',
      KEYFENCE_VERIFY_HOSTS: routesTo(port),
      NODE_EXTRA_CA_CERTS: tls.caFile,
    });
    expect(run.exitCode, run.stdout).toBe(1);
    const { summary } = run;
    expect(summary).toContain('Verification: **1 live**, 1 revoked, 0 unverified.');
    const rows = summary.split('\n').filter((line) => /^\| (?:\*\*LIVE\*\*|revoked|unverified) /.test(line));
    expect(rows.map((row) => /^\| (\S+)/.exec(row)?.[1])).toEqual(['**LIVE**', 'revoked']);
    const sarif = JSON.parse(readFileSync(join(repo, 'keyfence.sarif'), 'utf8')) as {
      runs: {
        results: {
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    expect(
      sarif.runs[0]?.results.map((result) => [
        result.locations[0]?.physicalLocation.artifactLocation.uri,
        result.level,
      ]),
    ).toEqual([
      ['stripe-test-7801.env', 'note'],
      ['stripe-test-7803.env', 'error'],
    ]);
    expect(run.stdout).toContain('[low] LIVE');
  });
});
