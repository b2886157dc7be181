import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { linearSyntaxError } from './linear-regex.js';
import type { RegexSyntax } from './types.js';

/** A problem found in a YAML file, located by line and by field path. */
export interface Problem {
  file: string;
  line: number;
  field: string;
  message: string;
}

/** Formats a problem as the one-line message users see: `file:line: field: message`. */
export function formatProblem(problem: Problem): string {
  const field = problem.field === '' ? '' : `${problem.field}: `;
  return `${problem.file}:${problem.line}: ${field}${problem.message}`;
}

/** A parsed YAML document that can tell the line of any field path. */
export interface YamlSource {
  file: string;
  value: unknown;
  lineOf(path: readonly (string | number)[]): number;
  syntaxProblems: Problem[];
}

/** Parses YAML text, keeping positions so that problems can name a line. */
export function parseYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntaxProblems = doc.errors.map((error) => ({
    file,
    line: lineCounter.linePos(error.pos[0]).line,
    field: '',
    message: `invalid YAML: ${error.message.split('\n')[0] ?? error.code}`,
  }));
  const lineOf = (path: readonly (string | number)[]): number => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
      const parent = depth > 0 ? (doc.getIn(path.slice(0, depth - 1), true) as Node | undefined) : undefined;
      if (parent && (isMap(parent) || isSeq(parent)) && parent.range) {
        return lineCounter.linePos(parent.range[0]).line;
      }
    }
    return 1;
  };
  let value: unknown;
  if (syntaxProblems.length === 0) {
    try {
      // toJS expands aliases; the yaml library caps that (maxAliasCount) against alias bombs.
      value = doc.toJS();
    } catch (error) {
      syntaxProblems.push({ file, line: 1, field: '', message: `invalid YAML: ${(error as Error).message.split('\n')[0] ?? ''}` });
    }
  }
  return { file, value, lineOf, syntaxProblems };
}

/** A field path inside a YAML document. */
export type Path = (string | number)[];

/** Collects problems while walking an untyped YAML value. */
export class Checker {
  readonly problems: Problem[] = [];
  /** `regexSyntax`: rules files hold JavaScript regexes, configs RE2 ones (see RegexSyntax). */
  constructor(
    private readonly source: YamlSource,
    readonly regexSyntax: RegexSyntax = 'js',
  ) {}

  report(path: Path, message: string): void {
    this.problems.push({
      file: this.source.file,
      line: this.source.lineOf(path),
      field: path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('').replace(/^\./, ''),
      message,
    });
  }

  object(value: unknown, path: Path, allowed: Set<string>): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.report(path, 'expected a mapping');
      return undefined;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.has(key)) this.report([...path, key], `unknown key (allowed: ${[...allowed].join(', ')})`);
    }
    return record;
  }

  string(value: unknown, path: Path, required: boolean): string | undefined {
    if (value === undefined) {
      if (required) this.report(path, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.report(path, 'expected a non-empty string');
      return undefined;
    }
    return value;
  }

  strings(value: unknown, path: Path, required: boolean): string[] | undefined {
    if (value === undefined) {
      if (required) this.report(path, 'is required');
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.report(path, 'expected a list of strings');
      return undefined;
    }
    const out: string[] = [];
    value.forEach((item, index) => {
      const text = this.string(item, [...path, index], true);
      if (text !== undefined) out.push(text);
    });
    return out;
  }

  /**
   * Reports a regex that does not compile in this file's dialect (naming `ruleId` when given); true
   * when it compiles.
   */
  regex(value: string | undefined, path: Path, flags = '', ruleId?: string): boolean {
    if (value === undefined) return false;
    const what = `invalid regular expression${ruleId === undefined ? '' : ` in rule ${ruleId}`}`;
    if (this.regexSyntax === 're2') {
      const problem = linearSyntaxError(value, flags);
      if (problem !== undefined) this.report(path, `${what}: ${problem}`);
      return problem === undefined;
    }
    try {
      new RegExp(value, flags);
      return true;
    } catch (error) {
      this.report(path, `${what}: ${(error as Error).message}`);
      return false;
    }
  }
}

