import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyFindings } from '../../src/index.js';
import type { Finding } from '../../src/engine/types.js';
import { parseVerifyHosts } from '../../src/verify/hosts.js';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { runCli } from '../helpers/cli.js';
import { commit, makeGitRepo } from '../helpers/tree.js';
import { ALPHA, randomString } from '../helpers/tokens.js';
import {
  ProviderServer,
  routesTo,
  runActionBundle,
  runBinAsync,
  testCertificate,
  type Answers,
  type Behaviours,
} from './helpers.js';

/** Hosts a top config lists in these tests; the test certificate is issued for them too. */
const SHOP = 'my-shop.myshopify.com';
const OTHER_SHOP = 'other-shop.myshopify.com';
const GITLAB = 'gitlab.example.com';
/** Listed with a port: the Host header carries it, the route and the certificate use the name. */
const GITLAB_INTERNAL = 'gitlab.internal.example';
const GITLAB_INTERNAL_PORT = `${GITLAB_INTERNAL}:8443`;

const unauthorized: [number, string] = [401, '{"errors":"[API] Invalid API key or access token"}'];
const ANSWERS: Answers = {
  [SHOP]: { live: [200, '{"shop":{"id":1}}'], revoked: unauthorized },
  [OTHER_SHOP]: { live: [200, '{"shop":{"id":2}}'], revoked: unauthorized },
  [GITLAB]: { live: [200, '{"id":1}'], revoked: [401, '{"message":"401 Unauthorized"}'] },
  [GITLAB_INTERNAL_PORT]: { live: [200, '{"id":2}'], revoked: [401, '{"message":"401 Unauthorized"}'] },
  'gitlab.com': { live: [200, '{"id":3}'], revoked: [401, '{"message":"401 Unauthorized"}'] },
};

const shopifyToken = (seed: number) => `shpat_${randomString(ALPHA.hex, 32, seed)}`;
const gitlabToken = (seed: number) => `glpat-${randomString(ALPHA.base64url, 20, seed)}`;

let server: ProviderServer;
let port: number;
let tls: ReturnType<typeof testCertificate>;
/**
 * The test process's environment for a run: the provider hosts and `listed` routed here (a host
 * KEYFENCE_VERIFY_HOSTS names must be in the table or the top config). gitlab.com is among them: a
 * request to it would be seen, not lost.
 */
let envFor: (listed: readonly string[]) => Record<string, string>;
let findingsOf: (files: Record<string, string>) => Finding[];

beforeAll(async () => {
  tls = testCertificate([SHOP, OTHER_SHOP, GITLAB, GITLAB_INTERNAL]);
  server = new ProviderServer(tls, ANSWERS, 10);
  port = await server.listen();
  envFor = (listed) => ({
    KEYFENCE_VERIFY_HOSTS: [routesTo(port), ...listed.map((host) => `${host}=127.0.0.1:${port}`)].join(','),
    NODE_EXTRA_CA_CERTS: tls.caFile,
  });
  const ruleSet = await builtinRuleSet();
  findingsOf = (files) =>
    Object.entries(files).flatMap(([path, content]) => scanText(ruleSet, content, path));
});
afterAll(async () => {
  await server.close();
  rmSync(tls.dir, { recursive: true, force: true });
});

/** Tells the server how to answer each secret. */
function behave(entries: [secret: string, behaviour: Behaviours][]): void {
  for (const [secret, behaviour] of entries) server.behaviours.set(secret, behaviour);
}

interface JsonReport {
  notes: string[];
  findings: { path: string; ruleId: string; verification?: { status: string; reason: string } }[];
}

/** `path: status: reason` for each finding of a JSON report. */
const verdicts = (stdout: string): Record<string, string> =>
  Object.fromEntries(
    (JSON.parse(stdout) as JsonReport).findings.map((finding) => [
      finding.path,
      `${finding.verification?.status ?? 'none'}: ${finding.verification?.reason ?? ''}`,
    ]),
  );

/** The requests the server saw that carried one of `secrets`. */
const requestsFor = (secrets: readonly string[]) =>
  server.seen.filter((request) => secrets.some((secret) => request.text.includes(secret)));

describe('Shopify: the shops the top config lists (verify-hosts.shopify)', () => {
  it('tells live from revoked at the listed shops, live if any shop accepts the token, and never contacts a shop named in a file', async () => {
    const [live, revoked, otherShop] = [shopifyToken(9101), shopifyToken(9102), shopifyToken(9103)];
    behave([
      [live, 'live'],
      [revoked, 'revoked'],
      [otherShop, { [SHOP]: 'revoked', [OTHER_SHOP]: 'live' }],
    ]);
    const repo = makeGitRepo({
      '.keyfence.yaml': `verify: true\nverify-hosts:\n  shopify: [${SHOP}, Other-Shop.myshopify.com]\n`,
      'live.env': `SHOPIFY_SHOP=https://evil-shop.myshopify.com\nSHOPIFY_ACCESS_TOKEN=${live}\n`,
      'revoked.env': `SHOPIFY_ACCESS_TOKEN=${revoked}\n`,
      'other.env': `SHOPIFY_ACCESS_TOKEN=${otherShop}\n`,
    });
    commit(repo, 'shop tokens');
    const run = await runBinAsync(['scan', '.', '--verify', '-f', 'json'], repo, envFor([SHOP, OTHER_SHOP]));
    expect(run.exitCode, run.stderr).toBe(1);
    expect(verdicts(run.stdout)).toEqual({
      'live.env': `live: accepted by ${SHOP} (HTTP 200)`,
      'revoked.env': `revoked: rejected by ${SHOP} and ${OTHER_SHOP}`,
      'other.env': `live: accepted by ${OTHER_SHOP} (HTTP 200)`,
    });
    expect((JSON.parse(run.stdout) as JsonReport).notes).toContain(
      `verification asks the hosts .keyfence.yaml lists (verify-hosts): shopify: ${SHOP}, ${OTHER_SHOP}`,
    );
    const requests = requestsFor([live, revoked, otherShop]);
    expect(requests.map((request) => request.host).sort()).toEqual(
      [SHOP, SHOP, SHOP, OTHER_SHOP, OTHER_SHOP].sort(),
    );
    for (const request of requests) {
      expect(`${request.method} ${request.path}`).toBe('GET /admin/api/2025-10/shop.json');
      expect(request.headers.authorization).toBeUndefined();
      expect([live, revoked, otherShop]).toContain(request.headers['x-shopify-access-token']);
    }
    for (const secret of [live, revoked, otherShop]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  });

  it('without a listed shop a Shopify token is unknown and nothing is sent, while GitLab tokens still go to gitlab.com', async () => {
    const [shop, gitlab] = [shopifyToken(9201), gitlabToken(9202)];
    behave([
      [shop, 'live'],
      [gitlab, 'live'],
    ]);
    const repo = makeGitRepo({
      '.keyfence.yaml': 'verify: true\n',
      'shop.env': `SHOP_URL=https://${SHOP}/admin\nSHOPIFY_ACCESS_TOKEN=${shop}\n`,
      'gitlab.env': `GITLAB_TOKEN=${gitlab}\n`,
    });
    commit(repo, 'tokens');
    const run = await runBinAsync(['scan', '--history', '-f', 'json'], repo, envFor([]));
    expect(run.exitCode, run.stderr).toBe(1);
    expect(verdicts(run.stdout)).toEqual({
      'shop.env':
        'unknown: not checked: no Shopify host configured (verify-hosts.shopify in the top .keyfence.yaml)',
      'gitlab.env': 'live: accepted by gitlab.com (HTTP 200)',
    });
    expect(requestsFor([shop])).toEqual([]);
    expect(requestsFor([gitlab]).map((request) => request.host)).toEqual(['gitlab.com']);
  });
});

describe('self-hosted GitLab: the instances the top config lists (verify-hosts.gitlab)', () => {
  it('asks the listed instances instead of gitlab.com: live at any, revoked only when all reject, else unknown', async () => {
    const [second, none, failing] = [gitlabToken(9301), gitlabToken(9302), gitlabToken(9303)];
    behave([
      [second, { [GITLAB]: 'revoked', [GITLAB_INTERNAL_PORT]: 'live', 'gitlab.com': 'live' }],
      [none, { [GITLAB]: 'revoked', [GITLAB_INTERNAL_PORT]: 'revoked', 'gitlab.com': 'live' }],
      [failing, { [GITLAB]: 'revoked', [GITLAB_INTERNAL_PORT]: 'server-error', 'gitlab.com': 'live' }],
    ]);
    const repo = makeGitRepo({
      '.keyfence.yaml': `verify: true\nverify-hosts:\n  gitlab:\n    - ${GITLAB}\n    - ${GITLAB_INTERNAL_PORT}\n`,
      // A URL beside a token names no host to ask.
      'second.env': `GITLAB_URL=https://gitlab.evil.example\nGITLAB_TOKEN=${second}\n`,
      'none.env': `GITLAB_TOKEN=${none}\n`,
      'failing.env': `GITLAB_TOKEN=${failing}\n`,
    });
    commit(repo, 'gitlab tokens');
    const env = envFor([GITLAB, GITLAB_INTERNAL]);
    const [json, consoleRun] = await Promise.all([
      runBinAsync(['scan', '.', '--verify', '-f', 'json'], repo, env),
      runBinAsync(['scan', '.', '--verify', '--fail-on-verified'], repo, env),
    ]);
    expect(json.exitCode, json.stderr).toBe(1);
    expect(verdicts(json.stdout)).toEqual({
      'second.env': `live: accepted by ${GITLAB_INTERNAL_PORT} (HTTP 200)`,
      'none.env': `revoked: rejected by ${GITLAB} and ${GITLAB_INTERNAL_PORT}`,
      'failing.env': `unknown: ${GITLAB_INTERNAL_PORT} failed (HTTP 503); rejected by ${GITLAB}`,
    });
    expect(consoleRun.exitCode, consoleRun.stderr).toBe(1);
    expect(consoleRun.stdout).toContain(
      `note: verification asks the hosts .keyfence.yaml lists (verify-hosts): gitlab: ${GITLAB}, ${GITLAB_INTERNAL_PORT}`,
    );
    expect(consoleRun.stdout).toContain('verification: 1 LIVE, 1 revoked, 1 unverified');

    const requests = requestsFor([second, none, failing]);
    // Two runs, three tokens, each asked at both instances; gitlab.com (routed here) never.
    expect(requests).toHaveLength(12);
    for (const request of requests) {
      expect([GITLAB, GITLAB_INTERNAL_PORT]).toContain(request.host);
      expect(`${request.method} ${request.path}`).toBe('GET /api/v4/personal_access_tokens/self');
      expect([second, none, failing]).toContain(request.headers['private-token']);
    }
    for (const output of [json.stdout, json.stderr, consoleRun.stdout, consoleRun.stderr])
      for (const secret of [second, none, failing]) expect(output).not.toContain(secret);
  });

  it('a rate limit stops only the listed host that answered it; an empty list asks no host, a malformed one is refused', async () => {
    const [limited, after] = [gitlabToken(9401), gitlabToken(9402)];
    behave([
      [limited, { [GITLAB]: 'rate-limited', [GITLAB_INTERNAL_PORT]: 'revoked' }],
      [after, { [GITLAB]: 'live', [GITLAB_INTERNAL_PORT]: 'live' }],
    ]);
    const findings = findingsOf({ 'a.env': `T=${limited}\n`, 'b.env': `T=${after}\n` });
    const listed = [GITLAB, GITLAB_INTERNAL_PORT];
    const options = {
      userAgent: 'keyfence/test',
      routes: parseVerifyHosts(envFor([GITLAB, GITLAB_INTERNAL]).KEYFENCE_VERIFY_HOSTS ?? '', listed),
      ca: tls.cert,
      concurrency: 1,
    };
    const seenBefore = server.seen.length;
    const verified = await verifyFindings(findings, { ...options, hosts: { gitlab: listed } });
    expect(verified.map((finding) => [finding.verification?.status, finding.verification?.reason])).toEqual([
      [
        'unknown',
        `rate-limited by ${GITLAB} (HTTP 429); no more requests to ${GITLAB} this run; rejected by ${GITLAB_INTERNAL_PORT}`,
      ],
      ['live', `accepted by ${GITLAB_INTERNAL_PORT} (HTTP 200)`],
    ]);
    expect(server.seen.slice(seenBefore).map((request) => request.host)).toEqual([
      GITLAB,
      GITLAB_INTERNAL_PORT,
      GITLAB_INTERNAL_PORT,
    ]);

    const none = await verifyFindings(findings, { ...options, hosts: { gitlab: [] } });
    expect(none.map((finding) => finding.verification?.reason)).toEqual([
      'not checked: no GitLab host configured (verify-hosts.gitlab in the top .keyfence.yaml)',
      'not checked: no GitLab host configured (verify-hosts.gitlab in the top .keyfence.yaml)',
    ]);
    // A library caller's list is held to the config's shape: no URL slips through.
    const url = await verifyFindings(findings, {
      ...options,
      hosts: { gitlab: ['https://gitlab.example.com'] },
    });
    expect(url.map((finding) => finding.verification?.reason)).toEqual([
      'not checked: a listed GitLab host is not a host name',
      'not checked: a listed GitLab host is not a host name',
    ]);
    expect(server.seen.length).toBe(seenBefore + 3);
  });
});

describe('where hosts may come from', () => {
  it('a config below the top cannot add hosts: ignored with a note, and KEYFENCE_VERIFY_HOSTS cannot route them', async () => {
    const [gitlab, shop] = [gitlabToken(9501), shopifyToken(9502)];
    behave([
      [gitlab, 'live'],
      [shop, 'live'],
    ]);
    const repo = makeGitRepo({
      '.keyfence.yaml': 'verify: true\n',
      'vendor/.keyfence.yaml': `verify-hosts:\n  gitlab: [gitlab.evil.example]\n  shopify: [evil-shop.myshopify.com]\n`,
      'vendor/tokens.env': `GITLAB_TOKEN=${gitlab}\nSHOPIFY_ACCESS_TOKEN=${shop}\n`,
    });
    commit(repo, 'vendored');
    const run = await runBinAsync(['scan', '.', '-f', 'json'], repo, envFor([]));
    expect(run.exitCode, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(
      report.findings.map((finding) => [
        finding.ruleId,
        finding.verification?.status,
        finding.verification?.reason,
      ]),
    ).toEqual([
      ['gitlab-pat', 'live', 'accepted by gitlab.com (HTTP 200)'],
      [
        'shopify-access-token',
        'unknown',
        'not checked: no Shopify host configured (verify-hosts.shopify in the top .keyfence.yaml)',
      ],
    ]);
    expect(report.notes).toContain(
      'vendor/.keyfence.yaml: verify-hosts is read only from the config at the repository top (or --config); ignored here',
    );
    expect(requestsFor([gitlab, shop]).map((request) => request.host)).toEqual(['gitlab.com']);

    const routed = await runCli(['scan', '.'], {
      cwd: repo,
      env: { KEYFENCE_VERIFY_HOSTS: 'gitlab.evil.example=127.0.0.1:8443' },
    });
    expect([routed.exitCode, routed.stderr]).toEqual([
      2,
      'keyfence: KEYFENCE_VERIFY_HOSTS: gitlab.evil.example is not a host keyfence verifies against\n',
    ]);
    // Listed at the top, the same host can be routed (to a closed loopback port: unknown, exit 1).
    const top = makeGitRepo({
      '.keyfence.yaml': 'verify: true\nverify-hosts:\n  gitlab: [gitlab.evil.example]\n',
      'a.env': `GITLAB_TOKEN=${gitlab}\n`,
    });
    const allowed = await runCli(['scan', '.', '-f', 'json'], {
      cwd: top,
      env: { KEYFENCE_VERIFY_HOSTS: 'gitlab.evil.example=127.0.0.1:1' },
    });
    expect(allowed.exitCode, allowed.stderr).toBe(1);
    expect(verdicts(allowed.stdout)).toEqual({
      'a.env': 'unknown: request to gitlab.evil.example failed (ECONNREFUSED)',
    });
  });

  it('bad verify-hosts entries are one-line config errors naming the file, line and entry (exit 2), that never quote the entry', async () => {
    const cases: [yaml: string, error: string][] = [
      [
        'gitlab: [https://gitlab.example.com]',
        'verify-hosts.gitlab[0]: expected a host name, not a URL: drop the scheme (requests are always HTTPS), e.g. gitlab.example.com',
      ],
      [
        'gitlab: [gitlab.example.com, "deploy:s3cr3t-value@gitlab.example.com"]',
        'verify-hosts.gitlab[1]: expected a host name without user info (credentials never belong in a config), e.g. gitlab.example.com',
      ],
      [
        'gitlab: [gitlab.example.com/gitlab]',
        'verify-hosts.gitlab[0]: expected a host name without a path, query or fragment, e.g. gitlab.example.com',
      ],
      [
        "gitlab: ['*.example.com']",
        'verify-hosts.gitlab[0]: expected a host name without wildcards: list each host',
      ],
      [
        'gitlab: [10.0.0.7]',
        'verify-hosts.gitlab[0]: expected a host name, not an IP address (TLS checks the certificate against the name)',
      ],
      [
        'gitlab: [gitlab.example.com:70000]',
        'verify-hosts.gitlab[0]: expected a host name with an optional :PORT (1 to 65535), e.g. gitlab.example.com',
      ],
      [
        'gitlab: [gitlab_example.com]',
        'verify-hosts.gitlab[0]: expected a host name of letters, digits, hyphens and dots, e.g. gitlab.example.com',
      ],
      [
        'shopify: [shop.example.com]',
        "verify-hosts.shopify[0]: expected a shop's own host, SHOP.myshopify.com (Shopify's Admin API is asked only there)",
      ],
      [
        'shopify: [my-shop.myshopify.com:8443]',
        "verify-hosts.shopify[0]: expected a shop's own host, SHOP.myshopify.com (Shopify's Admin API is asked only there)",
      ],
      [
        'gitlab: gitlab.example.com',
        'verify-hosts.gitlab: expected a list of host names, e.g. [gitlab.example.com]',
      ],
      ['gitlab: [42]', 'verify-hosts.gitlab[0]: expected a host name, e.g. gitlab.example.com'],
      ['github: [github.example.com]', 'verify-hosts.github: unknown key (allowed: gitlab, shopify)'],
    ];
    const results = await Promise.all(
      cases.map(([yaml], index) =>
        runCli(index % 2 ? ['scan', '.', '--verify'] : ['scan', '.'], {
          cwd: makeGitRepo({ '.keyfence.yaml': `verify: true\nverify-hosts:\n  ${yaml}\n`, 'a.txt': 'x\n' }),
        }),
      ),
    );
    expect(results.map((result) => [result.exitCode, result.stdout, result.stderr])).toEqual(
      cases.map(([, error]) => [2, '', `keyfence: .keyfence.yaml:3: ${error}\n`]),
    );
    // A bad entry in a config below the top is an error too: it is checked before it is ignored.
    const nested = await runCli(['scan', '.'], {
      cwd: makeGitRepo({
        'sub/.keyfence.yaml': 'verify-hosts:\n  shopify: [evil.example]\n',
        'sub/a.txt': 'x\n',
      }),
    });
    expect([nested.exitCode, nested.stderr]).toEqual([
      2,
      "keyfence: sub/.keyfence.yaml:2: verify-hosts.shopify[0]: expected a shop's own host, SHOP.myshopify.com (Shopify's Admin API is asked only there)\n",
    ]);
  });
});

describe('the GitHub Action (built bundle)', () => {
  it('reads verify-hosts from the top config as the CLI does', async () => {
    const token = shopifyToken(9601);
    behave([[token, 'live']]);
    const repo = makeGitRepo({
      '.keyfence.yaml': `verify: true\nverify-hosts:\n  shopify: [${SHOP}]\n`,
      'shop.env': `SHOPIFY_ACCESS_TOKEN=${token}\n`,
    });
    commit(repo, 'shop token');
    const run = await runActionBundle(repo, {
      ...envFor([SHOP]),
    });
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.summary).toContain('Verification: **1 live**, 0 revoked, 0 unverified.');
    expect(requestsFor([token]).map((request) => request.host)).toEqual([SHOP]);
    expect(run.stdout).not.toContain(token);
  });
});
