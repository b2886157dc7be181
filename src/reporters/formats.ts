import type { Reporter } from './index.js';

/** Output formats `--format` accepts (a module of its own so the CLI can list them without loading reporters). */
export const FORMATS = ['console', 'json', 'sarif', 'github', 'markdown', 'junit', 'gitlab', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** The reporter of one format, loaded alone: a console report need not load the SARIF writer. */
export async function loadReporter(format: Format): Promise<Reporter> {
  switch (format) {
    case 'console':
      return (await import('./console.js')).formatConsole;
    case 'json':
      return (await import('./json.js')).formatJson;
    case 'sarif':
      return (await import('./sarif.js')).formatSarif;
    case 'github':
      return (await import('./github.js')).formatGithub;
    case 'markdown':
      return (await import('./markdown.js')).formatMarkdown;
    case 'junit':
      return (await import('./junit.js')).formatJunit;
    case 'gitlab':
      return (await import('./gitlab.js')).formatGitlab;
    case 'csv':
      return (await import('./csv.js')).formatCsv;
  }
}
