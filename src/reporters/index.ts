import type { Report } from '../engine/types.js';
import { formatConsole } from './console.js';
import { formatCsv } from './csv.js';
import type { ReporterOptions } from './format.js';
import { formatGithub } from './github.js';
import { formatGitlab } from './gitlab.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import type { MaskedFinding } from './redact.js';
import { formatSarif } from './sarif.js';

import type { Format } from './formats.js';

export { FORMATS, type Format } from './formats.js';

/** A reporter turns a masked report into text. */
export type Reporter = (report: Report<MaskedFinding>, options: ReporterOptions) => string;

/** Reporter for each format. */
export const REPORTERS: Readonly<Record<Format, Reporter>> = {
  console: formatConsole,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  markdown: formatMarkdown,
  junit: formatJunit,
  gitlab: formatGitlab,
  csv: formatCsv,
};
