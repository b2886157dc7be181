import { describe, expect, it } from 'vitest';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

// A blind probe of generic secrets in the constructs of many languages (Erlang, Rust, Julia,
// Objective-C, C#, Go, Qt, libmysqlclient) found these missed or cut; each case is one in-process scan.
const ruleSet = await builtinRuleSet();
const KEY = randomString(ALPHA.alnum, 32, 1401);
const HEX = randomString(ALPHA.hex, 64, 1402);
/** A password a person made up: a word, digits, a symbol, more letters. */
const PASSWORD = `Harbor${randomString(ALPHA.digits, 4, 1403)}!${randomString(ALPHA.alnum, 6, 1404)}`;

/** [construct, path, content, rule, secret] */
const POSITIVES: [string, string, string, string, string][] = [
  [
    'an Erlang sys.config\'s {name, "value"} tuple',
    'config/sys.config',
    `[\n {shop, [\n   {db_user, "shop"},\n   {db_password, "${PASSWORD}"}\n ]}\n].\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'an Erlang tuple holding a binary, {name, <<"value">>}',
    'config/prod.config',
    `[{shop, [{api_secret, <<"${KEY}">>}]}].\n`,
    'generic-secret',
    KEY,
  ],
  [
    'an Erlang macro, -define(NAME, "value")',
    'src/shop_auth.erl',
    `-module(shop_auth).\n-define(API_SECRET, "${KEY}").\n`,
    'generic-secret',
    KEY,
  ],
  [
    'an Erlang macro holding a binary',
    'include/keys.hrl',
    `-define(SIGNING_KEY, <<"${HEX}">>).\n`,
    'generic-secret',
    HEX,
  ],
  [
    'an Objective-C string in a #define',
    'Sources/ACMEConstants.m',
    `#import "ACMEConstants.h"\n#define API_SECRET @"${KEY}"\n`,
    'generic-secret',
    KEY,
  ],
];

/** [look-alike, path, content] that must yield nothing. */
const NEGATIVES: [string, string, string][] = [
  [
    'Erlang settings read from the environment, empty, or a placeholder',
    'config/sys.config',
    '[{shop, [\n  {db_password, {env, "DB_PASSWORD"}},\n  {api_secret, ""},\n  {password, "changeme"}\n]}].\n',
  ],
];

const found = (path: string, content: string) =>
  scanText(ruleSet, content, path).map((finding) => `${finding.ruleId} ${finding.secret}`);

describe('generic secrets in the constructs of many languages', () => {
  it('finds a secret in each construct', () => {
    const misses = POSITIVES.filter(
      ([, path, content, ruleId, secret]) => found(path, content).join('\n') !== `${ruleId} ${secret}`,
    ).map(([construct, path, content]) => `${construct}: ${JSON.stringify(found(path, content))}`);
    expect(misses).toEqual([]);
  });

  it('stays quiet on their look-alikes', () => {
    const noise = NEGATIVES.map(([lookAlike, path, content]) => [lookAlike, found(path, content)] as const)
      .filter(([, findings]) => findings.length > 0)
      .map(([lookAlike, findings]) => `${lookAlike}: ${JSON.stringify(findings)}`);
    expect(noise).toEqual([]);
  });
});
