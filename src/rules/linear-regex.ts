import { re2js } from './re2-loader.js';
import type { RuleRegex } from './types.js';

type Pattern = import('re2js').RE2JS;
type Matcher = import('re2js').Matcher;

/** The RE2 flags for JavaScript-style flag letters (i, m, s). */
function flagBits(flags: string): number {
  const { RE2JS } = re2js();
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  return bits;
}

/** What RE2 cannot run, said in terms of what the user wrote. */
function explain(message: string): string {
  const syntax = /`([^`]*)`/.exec(message)?.[1] ?? '';
  const lookaround = /^\(\?(<?)[=!]/.exec(syntax);
  if (lookaround) {
    const kind = lookaround[1] === '<' ? 'lookbehind' : 'lookahead';
    return `${kind} ${lookaround[0]}…) is not supported (config regexes are RE2, as in gitleaks: no lookaround)`;
  }
  if (/^\\[1-9]/.test(syntax) || /^\\k/.test(syntax)) {
    return `backreference ${syntax} is not supported (config regexes are RE2, as in gitleaks: no backreferences)`;
  }
  if (/invalid repeat count/.test(message)) return `repeat count ${syntax} is over 1000, RE2's limit`;
  return message.replace(/^error parsing regexp: /, '');
}

/**
 * Why `pattern` is not a valid RE2 regex (the dialect of config regexes), or undefined when it is.
 * A leading `(?i)` style flag group is RE2 syntax and needs no special case.
 */
export function linearSyntaxError(pattern: string, flags = ''): string | undefined {
  try {
    re2js().RE2JS.compile(pattern, flagBits(flags));
    return undefined;
  } catch (error) {
    return explain(error instanceof Error ? error.message : String(error));
  }
}

/**
 * A regex written by a user (custom rules, allowlists, translated gitleaks rules), run by re2js in
 * time linear in the input whatever the pattern. It offers what the engine uses of a global
 * RegExp: `exec` from `lastIndex` with groups and indices, and `test`.
 */
export class LinearRegex implements RuleRegex {
  lastIndex = 0;
  private readonly pattern: Pattern;
  private readonly names: [string, number][];
  private matcher: Matcher | undefined;
  private text: string | undefined;

  constructor(source: string, flags = '') {
    this.pattern = re2js().RE2JS.compile(source, flagBits(flags));
    this.names = Object.entries(this.pattern.namedGroups());
  }

  test(text: string): boolean {
    return this.pattern.test(text);
  }

  exec(text: string): RegExpExecArray | null {
    // One matcher per text: the engine calls exec repeatedly on the same chunk.
    if (text !== this.text || !this.matcher) {
      this.matcher = this.pattern.matcher(text);
      this.text = text;
    }
    const matcher = this.matcher;
    // Most chunks hold no match: a search without groups (re2js's DFA) says so far faster than
    // a search that tracks them. Only from the start: a search from the middle of the text would
    // see assertions such as \B differently.
    const none = this.lastIndex === 0 && !this.pattern.test(text);
    if (none || this.lastIndex > text.length || !matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const count = matcher.groupCount();
    const values: (string | undefined)[] = [];
    const spans: ([number, number] | undefined)[] = [];
    for (let group = 0; group <= count; group++) {
      const start = matcher.start(group);
      values.push(start < 0 ? undefined : (matcher.group(group) ?? undefined));
      spans.push(start < 0 ? undefined : [start, matcher.end(group)]);
    }
    const groups: Record<string, string | undefined> = {};
    const groupSpans: Record<string, [number, number] | undefined> = {};
    for (const [name, index] of this.names) {
      groups[name] = values[index];
      groupSpans[name] = spans[index];
    }
    const result = Object.assign(values, {
      index: matcher.start(0),
      input: text,
      groups,
      indices: Object.assign(spans, { groups: groupSpans }),
    });
    this.lastIndex = matcher.end(0);
    return result as unknown as RegExpExecArray;
  }
}
