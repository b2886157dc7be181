/** Output formats `--format` accepts (a module of its own so the CLI can list them without loading reporters). */
export const FORMATS = ['console', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];
