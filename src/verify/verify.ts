import type { Finding, Verification, VerificationStatus } from '../engine/types.js';
import { splitHost, type Route } from './hosts.js';
import { VERIFIER_BY_RULE, VERIFIERS, type HostList, type VerifierSpec } from './providers.js';
import { send, type Answer, type OutgoingRequest } from './request.js';

/** How verification runs; the defaults are the limits the README documents. */
export interface VerifyOptions {
  /** `keyfence/<version>`: every request names the tool. */
  userAgent: string;
  /** Provider hosts sent to a loopback server instead (KEYFENCE_VERIFY_HOSTS); tests only. */
  routes?: ReadonlyMap<string, Route>;
  /** Extra trusted certificates (PEM); for library callers and tests. */
  ca?: string;
  /** Per request, connection to last byte; default 5000. */
  timeoutMs?: number;
  /** Requests in flight at most; default 8. */
  concurrency?: number;
  /** Rules a config defined (they may reuse a built-in id with another pattern): never verified. */
  customRules?: ReadonlySet<string>;
  /**
   * Hosts the user lists per provider (`verify-hosts` in the top config), each a host name with an
   * optional `:port`: a list given replaces that provider's fixed hosts.
   */
  hosts?: Readonly<Partial<Record<HostList, readonly string[]>>>;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_CONCURRENCY = 8;

/** A finding that can be checked: the provider entry and the template values. */
interface Check {
  spec: VerifierSpec;
  /** Asked in turn until one accepts the secret. */
  hosts: readonly string[];
  /** The hosts are the user's list: each is its own server, with its own rate limit. */
  listed: boolean;
  secret: string;
  pair: string | undefined;
  values: Record<string, string>;
}

type Outcome = Omit<Verification, 'checkedAt'>;

/** What to ask about a finding, or why it is not asked. */
function planFor(finding: Finding, options: VerifyOptions): Check | Outcome {
  if (options.customRules?.has(finding.ruleId))
    return { status: 'unknown', reason: 'not checked: rules from a config are never verified' };
  const spec = VERIFIER_BY_RULE.get(finding.ruleId);
  if (!spec) {
    const owner = VERIFIERS.find((entry) => entry.needsPair?.ruleId === finding.ruleId);
    return {
      status: 'unknown',
      reason: owner
        ? `not checked: verified only together with its ${owner.rules.join(' or ')}, and none was found nearby`
        : `no verifier for ${finding.ruleId}`,
    };
  }
  const listed = spec.hostList === undefined ? undefined : options.hosts?.[spec.hostList];
  const hosts = listed ?? (spec.host === undefined ? [] : [spec.host, ...(spec.regionHosts ?? [])]);
  // The config checks each entry; a library caller's list is held to the same shape here.
  if (listed?.some((host) => !/^[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[0-9]{1,5})?$/.test(host)))
    return { status: 'unknown', reason: `not checked: a listed ${spec.provider} host is not a host name` };
  if (hosts.length === 0)
    return {
      status: 'unknown',
      reason: `not checked: no ${spec.provider} host configured (verify-hosts.${spec.hostList ?? ''} in the top .keyfence.yaml)`,
    };
  const groups = spec.accepts ? spec.accepts.exec(finding.secret) : undefined;
  if (groups === null)
    return {
      status: 'unknown',
      reason: `not checked: ${spec.notAccepted ?? 'not a form the verifier can check'}`,
    };
  let pair: string | undefined;
  if (spec.needsPair) {
    const partner = finding.pairedWith;
    if (partner?.ruleId !== spec.needsPair.ruleId)
      return {
        status: 'unknown',
        reason: `not checked: needs its ${spec.needsPair.ruleId} nearby, and none was found`,
      };
    if (!spec.needsPair.pattern.test(partner.secret))
      return {
        status: 'unknown',
        reason: `not checked: the paired ${spec.needsPair.ruleId} is not of a kind that can be checked`,
      };
    pair = partner.secret;
  }
  const values: Record<string, string> = { ...groups?.groups, secret: finding.secret };
  if (pair !== undefined) values.pair = pair;
  // A value in the path is one plain segment: no dot segments, separators or escapes, whatever matched.
  const inPath = [...spec.path.matchAll(/\{([a-z]+)\}/g)].map((match) => values[match[1] ?? ''] ?? '');
  if (inPath.some((value) => !/^[A-Za-z0-9_:@-]+$/.test(value)))
    return { status: 'unknown', reason: 'not checked: not a form the verifier can check' };
  return { spec, hosts, listed: listed !== undefined, secret: finding.secret, pair, values };
}

/**
 * Fills `{name}` placeholders; `encode` for paths, so that a value cannot add a segment, a query or
 * a fragment (":" and "@" stay as they are, as a path segment allows: Telegram's tokens hold ":").
 */
function fill(template: string, values: Record<string, string>, encode: boolean): string {
  return template.replace(/\{([a-z]+)\}/g, (_all, name: string) => {
    const value = values[name] ?? '';
    return encode ? encodeURIComponent(value).replace(/%3A/g, ':').replace(/%40/g, '@') : value;
  });
}

async function buildRequest(
  check: Check,
  { name, port }: { name: string; port: number | undefined },
  userAgent: string,
): Promise<OutgoingRequest> {
  const { spec, values } = check;
  const headers: Record<string, string> = { 'User-Agent': userAgent, Accept: '*/*', ...spec.headers };
  const { send: how } = spec;
  if (how.kind === 'bearer') headers.Authorization = `Bearer ${values.secret ?? ''}`;
  else if (how.kind === 'header') headers[how.name] = fill(how.template, values, false);
  else if (how.kind === 'basic') {
    const credentials = `${fill(how.user, values, false)}:${fill(how.password, values, false)}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const outgoing: OutgoingRequest = {
    host: name,
    port,
    method: spec.method,
    path: fill(spec.path, values, true),
    headers,
    body: spec.body,
  };
  if (how.kind !== 'aws-sigv4') return outgoing;
  const { signAws } = await import('./aws.js');
  return signAws(
    outgoing,
    { accessKeyId: check.pair ?? '', secretAccessKey: check.secret },
    { service: how.service, region: how.region },
  );
}

const header = (answer: Answer, name: string): string | undefined => {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** An answer that says "slow down": 429, or any refusal with no requests left in the window. */
const rateLimited = (answer: Answer): boolean =>
  answer.status === 429 || (answer.status >= 400 && header(answer, 'x-ratelimit-remaining')?.trim() === '0');

/** What an answer means for the secret. Only status, host and fixed words go into the reason. */
function classify(spec: VerifierSpec, host: string, answer: Answer): Outcome {
  const { status } = answer;
  if (spec.live.includes(status) && (!spec.liveBody || spec.liveBody.test(answer.body))) {
    const limited = spec.liveButForbidden?.includes(status) === true;
    return {
      status: 'live',
      reason: `accepted by ${host} (HTTP ${status}${limited ? ': valid, but not allowed to read the resource asked for' : ''})`,
    };
  }
  if (spec.revoked.includes(status) && (!spec.revokedBody || spec.revokedBody.test(answer.body)))
    return { status: 'revoked', reason: `rejected by ${host} (HTTP ${status})` };
  if (status >= 300 && status < 400)
    return { status: 'unknown', reason: `${host} answered with a redirect (HTTP ${status}), not followed` };
  if (status >= 500) return { status: 'unknown', reason: `${host} failed (HTTP ${status})` };
  return { status: 'unknown', reason: `unexpected answer from ${host} (HTTP ${status})` };
}

/** `a`, `a and b`, `a, b and c`. */
const listOf = (names: readonly string[]): string =>
  names.length < 2
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;

/** Runs `tasks` with at most `limit` of them at a time. */
async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/**
 * Asks each finding's provider whether its secret is accepted, with one read-only request per
 * distinct secret and host, and returns the findings with their `verification`. Requests go only to
 * the hosts in the verifier table or, for the providers that take a list, the hosts `hosts` lists;
 * a provider (or listed host) that answers "rate limited" is not asked again this run.
 */
export async function verifyFindings(
  findings: readonly Finding[],
  options: VerifyOptions,
): Promise<Finding[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stopped = new Map<string, string>();
  const outcomes = new Map<string, Verification>();
  const tasks: (() => Promise<void>)[] = [];
  const keys = new Map<Finding, string>();
  const planned = new Set<string>();
  const stamp = (outcome: Outcome): Verification => ({ ...outcome, checkedAt: new Date().toISOString() });

  /** One request to one host, unless an earlier rate limit stopped it. */
  const ask = async (plan: Check, host: string): Promise<Outcome> => {
    const { spec } = plan;
    // A provider's own hosts share its rate limit; each host the user lists is a server of its own.
    const stopKey = plan.listed ? `${spec.provider}\u0000${host}` : spec.provider;
    const stop = stopped.get(stopKey);
    if (stop !== undefined) return { status: 'unknown', reason: `not checked: ${stop}` };
    const target = splitHost(host);
    let answer: Answer;
    try {
      const outgoing = await buildRequest(plan, target, options.userAgent);
      answer = await send(outgoing, { timeoutMs, route: options.routes?.get(target.name), ca: options.ca });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        status: 'unknown',
        reason:
          code === 'timeout'
            ? `no answer from ${host} within ${timeoutMs / 1000} s`
            : `request to ${host} failed (${typeof code === 'string' ? code : 'error'})`,
      };
    }
    if (rateLimited(answer)) {
      const what = plan.listed ? host : spec.provider;
      stopped.set(stopKey, `${what} rate-limited an earlier request in this run`);
      return {
        status: 'unknown',
        reason: `rate-limited by ${host} (HTTP ${answer.status}); no more ${plan.listed ? `requests to ${host}` : `${spec.provider} requests`} this run`,
      };
    }
    return classify(spec, host, answer);
  };

  /** Live if one host accepts the secret, revoked only if every host rejects it, else unknown. */
  const check = async (plan: Check): Promise<Outcome> => {
    const rejectedBy: string[] = [];
    let revoked: Outcome | undefined;
    let unknown: Outcome | undefined;
    for (const host of plan.hosts) {
      const outcome = await ask(plan, host);
      if (outcome.status === 'live') return outcome;
      if (outcome.status === 'unknown') unknown ??= outcome;
      else {
        revoked = outcome;
        rejectedBy.push(host);
      }
    }
    if (unknown)
      return rejectedBy.length === 0
        ? unknown
        : { ...unknown, reason: `${unknown.reason}; rejected by ${listOf(rejectedBy)}` };
    return rejectedBy.length > 1
      ? { status: 'revoked', reason: `rejected by ${listOf(rejectedBy)}` }
      : (revoked ?? { status: 'unknown', reason: 'not checked' });
  };

  for (const finding of findings) {
    const plan = planFor(finding, options);
    if (!('spec' in plan)) continue;
    const key = `${plan.spec.provider}\u0000${plan.hosts.join(',')}\u0000${plan.secret}\u0000${plan.pair ?? ''}`;
    keys.set(finding, key);
    // Each distinct secret is asked about once, however many findings it has.
    if (planned.has(key)) continue;
    planned.add(key);
    tasks.push(async () => {
      outcomes.set(key, stamp(await check(plan)));
    });
  }
  await runLimited(tasks, options.concurrency ?? DEFAULT_CONCURRENCY);
  return findings.map((finding) => {
    const key = keys.get(finding);
    const verification = key === undefined ? undefined : outcomes.get(key);
    if (verification) return { ...finding, verification };
    const plan = planFor(finding, options);
    return {
      ...finding,
      verification: stamp('spec' in plan ? { status: 'unknown', reason: 'not checked' } : plan),
    };
  });
}

/** How many findings have each status. */
export function countStatuses(findings: readonly Finding[]): Record<VerificationStatus, number> {
  const counts: Record<VerificationStatus, number> = { live: 0, revoked: 0, unknown: 0 };
  for (const finding of findings) if (finding.verification) counts[finding.verification.status]++;
  return counts;
}
