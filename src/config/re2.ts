/**
 * gitleaks configs are written in Go's RE2 syntax, which is also the dialect keyfence runs config
 * regexes in (on a linear-time engine): a gitleaks regex is used as it is. Only the secret group is
 * named (gitleaks gives its number) and a leading flag group becomes the rule's flags.
 */
import { linearSyntaxError } from '../rules/linear-regex.js';

/** A pattern ready for a custom rule, or why it cannot be used. */
export type Translation = { source: string; flags: string } | { error: string };

/**
 * Prepares an RE2 pattern. `secretGroup` (gitleaks' 1-based group number) names that capturing
 * group `secret`; 0 leaves the groups as they are (the engine then takes the first non-empty group).
 * Named groups are written `(?<name>…)`, which RE2 and JavaScript both read.
 */
export function translateRe2(pattern: string, secretGroup = 0): Translation {
  let flags = '';
  let rest = pattern;
  // Leading flag groups of i, m and s (possibly several: (?i)(?s)…) become the rule's flags.
  for (let lead = /^\(\?([ims]+)\)/.exec(rest); lead; lead = /^\(\?([ims]+)\)/.exec(rest)) {
    for (const flag of lead[1] ?? '') if (!flags.includes(flag)) flags += flag;
    rest = rest.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  let group = 0;
  for (let i = 0; i < rest.length; i++) {
    const char = rest[i] ?? '';
    const next = rest[i + 1] ?? '';
    if (char === '\\') {
      if (next === 'Q') {
        // A literal section runs to \E (or the end); nothing in it opens a group.
        const end = rest.indexOf('\\E', i + 2);
        const stop = end === -1 ? rest.length : end + 2;
        out += rest.slice(i, stop);
        i = stop - 1;
        continue;
      }
      out += char + next;
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:\^?[a-z]+:\]/.exec(rest.slice(i));
      if (posix) {
        out += posix[0];
        i += posix[0].length - 1;
        continue;
      }
      if (char === ']') inClass = false;
      out += char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += char;
      // A ']' right after '[' or '[^' is a literal in RE2.
      if (next === '^') {
        out += '^';
        i++;
      }
      if (rest[i + 1] === ']') {
        out += ']';
        i++;
      }
      continue;
    }
    if (char === '(' && next !== '?') {
      group++;
      out += group === secretGroup ? '(?<secret>' : '(';
      continue;
    }
    const named = char === '(' ? /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest.slice(i)) : null;
    if (named) {
      group++;
      const name = group === secretGroup ? 'secret' : named[1] === 'secret' ? 'secret_' : (named[1] ?? '');
      out += `(?<${name}>`;
      i += named[0].length - 1;
      continue;
    }
    out += char;
  }
  if (secretGroup > group)
    return { error: `secretGroup ${secretGroup} but the pattern has ${group} capturing group(s)` };
  const problem = linearSyntaxError(out, flags);
  if (problem !== undefined) return { error: problem };
  return { source: out, flags };
}
