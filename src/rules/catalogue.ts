import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeyfenceError } from '../errors.js';
import { KeywordAutomaton, type AutomatonSnapshot } from '../engine/aho-corasick.js';
import { usePrebuiltAutomaton } from '../engine/prefilter.js';
import type { CatalogueRule, RegexSyntax, RuleBundle, RuleSpec } from './types.js';
import { impliedWindow, keywordStartWindow, leadingCharSet, leadingCharsAfter, MAX_WINDOW, reachWindow } from './window.js';
import { runEndSpec } from './run-end.js';
import type { Problem } from './yaml-source.js';

/** A rule read from a YAML file, with its examples and location. */
export interface SourcedRule {
  spec: RuleSpec;
  provider: string;
  file: string;
  line: number;
  /** `re2` for rules from configs; absent for rules files (JavaScript regexes). */
  syntax?: RegexSyntax;
}

/** Parses and schema-checks rules files; returns the rules and every problem. */
export async function parseRuleFiles(
  files: readonly { file: string; text: string }[],
): Promise<{ rules: SourcedRule[]; problems: Problem[] }> {
  const { parseYaml } = await import('./yaml-source.js');
  const { checkRuleFileShape } = await import('./schema.js');
  const rules: SourcedRule[] = [];
  const problems: Problem[] = [];
  for (const { file, text } of files) {
    const checked = checkRuleFileShape(parseYaml(text, file));
    problems.push(...checked.problems);
    const provider = basename(file).replace(/\.ya?ml$/, '');
    for (const { spec, line } of checked.rules) rules.push({ spec, provider, file, line });
  }
  const seen = new Map<string, SourcedRule>();
  for (const rule of rules) {
    const first = seen.get(rule.spec.id);
    if (first) {
      problems.push({
        file: rule.file,
        line: rule.line,
        field: 'id',
        message: `duplicate rule id "${rule.spec.id}" (first defined at ${first.file}:${first.line})`,
      });
    } else seen.set(rule.spec.id, rule);
  }
  for (const rule of rules) {
    const partner = rule.spec.pair?.with;
    if (partner !== undefined && !seen.has(partner)) {
      problems.push({ file: rule.file, line: rule.line, field: `${rule.spec.id}.pair.with`, message: `unknown rule "${partner}"` });
    }
  }
  return { rules, problems };
}

/** Reads every `*.yaml` file of a rules directory, in a stable order. */
export async function readRuleDirectory(dir: string): Promise<{ file: string; text: string }[]> {
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  return Promise.all(names.map(async (name) => ({ file: join(dir, name), text: await readFile(join(dir, name), 'utf8') })));
}

/** Drops examples: the bundle carries only what scanning needs. */
export function toCatalogueRule(rule: SourcedRule): CatalogueRule {
  const { examples, ...rest } = rule.spec;
  // Worked out once here, so that loading the pre-built bundle does not parse every regex again.
  const keywords = rest.keywords.map((keyword) => keyword.toLowerCase());
  const window =
    rest.window ??
    impliedWindow(rest.regex, keywords) ??
    (rule.syntax === undefined ? keywordStartWindow(rest.regex, rest.flags ?? '', keywords) : undefined);
  // Else, for JavaScript regexes, the window their length gives (window.ts): most rules of several
  // forms ran over every file that held a keyword, 70% of a scan of node_modules.
  const reach =
    window === undefined && rule.syntax === undefined
      ? reachWindow(rest.regex, rest.flags ?? '', keywords, MAX_WINDOW)
      : undefined;
  return {
    ...rest,
    ...(window !== undefined && { window }),
    ...reach,
    provider: rule.provider,
    ...(rule.syntax && { syntax: rule.syntax }),
  };
}

/**
 * A rule with a window, with its regex read as a run and a tail and the characters its matches start
 * with (the engine's checks before the regex).
 */
function withRunEnd(rule: CatalogueRule): CatalogueRule {
  if (rule.window === undefined || rule.syntax !== undefined) return rule;
  const first = leadingCharSet(rule.regex, rule.flags);
  const after = rule.window + (rule.windowAfter ?? 0) >= WIDE_WINDOW ? leadingCharsAfter(rule.regex, rule.flags) : undefined;
  return {
    ...rule,
    runEnd: runEndSpec(rule.regex, rule.flags) ?? null,
    firstChars: first ? Array.from(first) : null,
    ...(after && { startsAfter: { sets: after.sets.map((set) => Array.from(set)), first: after.first.map((set) => Array.from(set)) } }),
  };
}

/**
 * Windows this wide or wider get StartsAfter (window.ts): in narrower ones a try at every offset
 * costs little, and the tables would only make the bundle longer to read.
 */
const WIDE_WINDOW = 200;

/** Builds the bundle from a rules directory, failing on the first problem. */
export async function buildBundle(dir: string): Promise<RuleBundle> {
  const { rules, problems } = await parseRuleFiles(await readRuleDirectory(dir));
  if (problems.length > 0) {
    const { formatProblem } = await import('./yaml-source.js');
    throw new KeyfenceError(problems.map(formatProblem).join('\n'));
  }
  return { version: 1, rules: rules.map((rule) => withRunEnd(toCatalogueRule(rule))) };
}

/** What describes a rule to people, not what it scans with: read only when a report or a listing asks. */
const DESCRIBING = ['title', 'remediation', 'references', 'githubTypes'] as const;
type Description = Pick<CatalogueRule, (typeof DESCRIBING)[number]>;

/**
 * rules.json as the build writes it: JSON with every character past ASCII escaped (`\u2026`), so
 * that reading it makes a one-byte string, which Node decodes and V8 parses faster than the
 * two-byte string a single `…` in a remediation would make of the whole file (about 1 ms each).
 * The rules' descriptions (titles, remediations, references: 40% of the file) are one JSON string
 * in it, `descriptions`, parsed when first asked for (describeLazily): a scan that reports nothing
 * never needs them, and parsing them with the rules took 3 of the 5.4 ms the whole file took.
 */
export function catalogueText(bundle: RuleBundle & { automaton: AutomatonSnapshot }): string {
  const descriptions = bundle.rules.map((rule) => Object.fromEntries(DESCRIBING.map((key) => [key, rule[key]])));
  const rules = bundle.rules.map(
    ({ title: _title, remediation: _remediation, references: _references, githubTypes: _githubTypes, ...scanned }) =>
      scanned,
  );
  return escapedPastAscii(JSON.stringify({ ...bundle, rules, descriptions: JSON.stringify(descriptions) }));
}

/**
 * Gives the rules read from rules.json their descriptions, from the bundle's `descriptions` (in
 * rule order), parsed on first use: getters on a prototype the rules share, so that spreading or
 * serialising a rule (a cache key) does not parse them either.
 */
function describeLazily(rules: readonly CatalogueRule[], descriptions: string): void {
  let byId: Map<string, Description> | undefined;
  const of = (rule: CatalogueRule): Description => {
    if (!byId) {
      const list = JSON.parse(descriptions) as Description[];
      byId = new Map(rules.map((each, index) => [each.id, list[index] as Description]));
    }
    return byId.get(rule.id) as Description;
  };
  const getters = DESCRIBING.map((key) => [
    key,
    {
      get(this: CatalogueRule) {
        return of(this)[key];
      },
    },
  ]);
  const described = Object.create(Object.prototype, Object.fromEntries(getters) as PropertyDescriptorMap) as object;
  for (const rule of rules) Object.setPrototypeOf(rule, described);
}

/** Every UTF-16 code unit past ASCII as `\uXXXX`, which JSON strings and JavaScript read as the same unit. */
export function escapedPastAscii(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The saved keyword automaton's transition table, beside rules.json (scripts/build-rules.mjs). */
export const AUTOMATON_FILE = 'keywords.bin';

/** Little-endian platforms read the saved table as it is (others build the automaton at start-up). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Makes the engine use the automaton the build saved for these rules, when its table is there and
 * it holds every keyword of the rules; otherwise the engine builds one, as for any rule set.
 */
async function loadAutomaton(saved: AutomatonSnapshot, url: URL, rules: readonly CatalogueRule[]): Promise<void> {
  const keywords = new Set(saved.keywords);
  if (!LITTLE_ENDIAN || !rules.every((rule) => rule.keywords.every((keyword) => keywords.has(keyword.toLowerCase())))) return;
  let bytes: Buffer;
  try {
    bytes = await readFile(url);
  } catch {
    return;
  }
  // A copy only when the file's bytes are not aligned for the typed array view.
  const width = saved.wide ? 4 : 2;
  const buffer = bytes.byteOffset % width === 0 ? bytes : Buffer.from(bytes);
  const table = saved.wide
    ? new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4)
    : new Uint16Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 2);
  usePrebuiltAutomaton(KeywordAutomaton.restore(saved, table));
}

// dist/rules/catalogue.js reads dist/rules.json; the single-file action bundle reads the rules.json beside it.
const BUNDLE_URLS = [new URL('../rules.json', import.meta.url), new URL('./rules.json', import.meta.url)];
const SOURCE_RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

/**
 * Loads the built-in catalogue: the pre-built bundle next to dist/, or, when running from a
 * source checkout without a build (the test suite), the YAML files in rules/.
 */
export function loadBuiltinRules(): Promise<CatalogueRule[]> {
  // Read once per process: a worker, the Action and the test suite scan many times with one catalogue.
  builtinRules ??= readBuiltinRules();
  return builtinRules;
}

let builtinRules: Promise<CatalogueRule[]> | undefined;

/**
 * From the TypeScript sources (the test suite), the built bundle in dist/ when it is newer than
 * every rule file and every module that shapes rules: parsing the YAML costs a second per process.
 */
async function freshBuiltBundle(): Promise<URL[]> {
  if (!import.meta.url.endsWith('.ts')) return [];
  const built = new URL('../../dist/rules.json', import.meta.url);
  try {
    const builtAt = (await stat(built)).mtimeMs;
    const sourceDirs = [SOURCE_RULES_DIR, fileURLToPath(new URL('.', import.meta.url))];
    for (const dir of sourceDirs) {
      for (const name of await readdir(dir)) {
        if ((await stat(join(dir, name))).mtimeMs > builtAt) return [];
      }
    }
    return [built];
  } catch {
    return [];
  }
}

async function readBuiltinRules(): Promise<CatalogueRule[]> {
  for (const url of [...(await freshBuiltBundle()), ...BUNDLE_URLS]) {
    let text: string;
    try {
      text = await readFile(url, 'utf8');
    } catch {
      continue;
    }
    const bundle = JSON.parse(text) as RuleBundle & { descriptions?: string };
    if (bundle.descriptions !== undefined) describeLazily(bundle.rules, bundle.descriptions);
    if (bundle.automaton) await loadAutomaton(bundle.automaton, new URL(AUTOMATON_FILE, url), bundle.rules);
    return bundle.rules;
  }
  // As the build does (scripts/build-rules.mjs), so that scans from the sources share one automaton.
  const { rules } = await buildBundle(SOURCE_RULES_DIR);
  usePrebuiltAutomaton(new KeywordAutomaton(rules.flatMap((rule) => rule.keywords)));
  return rules;
}
