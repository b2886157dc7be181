/**
 * Translation of Go RE2 syntax (what gitleaks configs are written in) into JavaScript RegExp
 * source and flags. Whatever cannot be expressed exactly is reported, never approximated.
 */

/** A translated pattern, or why it cannot be translated. */
export type Translation = { source: string; flags: string } | { error: string };

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const escapeLiteral = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * Translates an RE2 pattern. `secretGroup` (gitleaks' 1-based group number) names that capturing
 * group `secret`; 0 leaves the groups as they are (the engine then takes the first non-empty group).
 */
export function translateRe2(pattern: string, secretGroup = 0): Translation {
  let flags = '';
  let rest = pattern;
  // Leading flag groups, possibly several: (?i)(?s)…
  for (let lead = /^\(\?([imsU]+)\)/.exec(rest); lead; lead = /^\(\?([imsU]+)\)/.exec(rest)) {
    const given = lead[1] ?? '';
    if (given.includes('U')) return { error: 'the ungreedy flag (?U) has no JavaScript equivalent' };
    for (const flag of given) if (!flags.includes(flag)) flags += flag;
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
        const end = rest.indexOf('\\E', i + 2);
        const literal = rest.slice(i + 2, end === -1 ? rest.length : end);
        out += escapeLiteral(literal);
        i = end === -1 ? rest.length : end + 1;
        continue;
      }
      if (next === 'z') {
        out += '(?![\\s\\S])';
        i++;
        continue;
      }
      if (next === 'A') {
        out += '(?<![\\s\\S])';
        i++;
        continue;
      }
      if (next === 'p' || next === 'P')
        return { error: `Unicode class \\${next} needs Unicode mode, which changes other escapes` };
      if (next === 'x' && rest[i + 2] === '{') return { error: '\\x{…} code points need Unicode mode' };
      if (next === 'C') return { error: '\\C (any byte) has no JavaScript equivalent' };
      out += char + next;
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(rest.slice(i));
      if (posix) {
        const ranges = POSIX_CLASSES[posix[2] ?? ''];
        if (ranges === undefined) return { error: `unknown POSIX class [:${posix[2] ?? ''}:]` };
        if (posix[1] === '^') return { error: `negated POSIX class [:^${posix[2] ?? ''}:] inside a bracket` };
        out += ranges;
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
        out += '\\]';
        i++;
      }
      continue;
    }
    if (char === '(') {
      if (next !== '?') {
        group++;
        out += group === secretGroup ? '(?<secret>' : '(';
        continue;
      }
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest.slice(i));
      if (named) {
        group++;
        out += `(?<${group === secretGroup ? 'secret' : named[1] === 'secret' ? 'secret_' : (named[1] ?? '')}>`;
        i += named[0].length - 1;
        continue;
      }
      const flagGroup = /^\(\?([imsU]*)(?:-([imsU]*))?([:)])/.exec(rest.slice(i));
      if (flagGroup) {
        const [whole, on = '', off = '', end] = flagGroup;
        const redundant = on.split('').every((flag) => flags.includes(flag)) && off === '';
        if (!redundant) {
          return {
            error: `inline flags ${whole.replace(/:$/, ':…)')} are not at the start of the pattern; JavaScript cannot scope them`,
          };
        }
        out += end === ':' ? '(?:' : '';
        i += whole.length - 1;
        continue;
      }
      out += char;
      continue;
    }
    out += char;
  }
  if (secretGroup > group)
    return { error: `secretGroup ${secretGroup} but the pattern has ${group} capturing group(s)` };
  try {
    new RegExp(out, flags);
  } catch (error) {
    return { error: `not a valid JavaScript regex after translation: ${(error as Error).message}` };
  }
  return { source: out, flags };
}
