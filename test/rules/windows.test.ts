import { describe, expect, it } from 'vitest';
import { builtinRuleSet } from '../helpers/catalogue.js';

/**
 * Rules with keywords whose regex runs over the whole of every file that holds one of them, for
 * want of a window (where a match starts relative to its keyword): their regexes have unbounded
 * repetitions (a secret of no documented length), reach farther than a window may (a PEM block, the
 * lines a lookbehind reads) or use a backreference, so no window follows from their length
 * (window.ts, reachWindow); separators are bounded (`\s{0,40}`, not `\s*`) so that it does. Each was
 * measured cheap on source text; a rule that loses its window unnoticed is not: python-requests-auth took 40% of the
 * engine's time (its keyword `auth` is in every file that says author), and a second form added
 * to pusher-secret took its window away (BENCHMARKS.md). A new rule here needs a reason; most need
 * `window` (and `window-after`) instead, see the README's rule format.
 */
const RUN_OVER_WHOLE_FILES = new Set([
  'bundler-source-credentials',
  'cloud-init-chpasswd',
  'docker-password-stdin-echo',
  'http-bearer-token',
  'litellm-key',
  'microsoft-teams-webhook',
  'npmrc-auth-token',
  'openvpn-static-key',
  'pkcs12-keystore',
  'private-key-dsa',
  'private-key-ec',
  'private-key-openssh',
  'private-key-pgp',
  'private-key-pkcs8',
  'private-key-pkcs8-encrypted',
  'private-key-rsa',
  'pypirc-password',
  'twilio-access-token',
]);

describe('windows', () => {
  it('every rule with keywords has a window, but for the known few that run over whole files', async () => {
    const ruleSet = await builtinRuleSet();
    const global = ruleSet.rules.filter((rule) => rule.keywords.length > 0 && rule.window === undefined);
    expect(global.map((rule) => rule.id).filter((id) => !RUN_OVER_WHOLE_FILES.has(id))).toEqual([]);
  });

  it('tries assignments once per keyword, at the start of its name, where the keyword lies in the name', async () => {
    const ruleSet = await builtinRuleSet();
    const byId = new Map(ruleSet.rules.map((rule) => [rule.id, rule]));
    // The generic rules run on most files: a keyword such as `hasło` must not cost them the shortcut.
    for (const id of ['generic-password', 'generic-secret', 'facebook-app-secret'])
      expect([id, byId.get(id)?.startsAtNameRun]).toEqual([id, true]);
    // A keyword read in the value (`"yc`) does not start a name.
    expect(byId.get('yandex-cloud-access-secret')?.startsAtNameRun).toBe(false);
  });
});
