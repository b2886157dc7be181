import type { AllowlistSpec, CatalogueRule, Severity } from '../rules/types.js';
import type { VerifyHosts } from './verify-hosts.js';

/** Where a setting was written, for one-line errors that name it. */
export interface Origin {
  file: string;
  line: number;
  field: string;
}

/** Per-rule settings a config changes without redefining the rule. */
export interface RuleOverride {
  severity?: Severity;
  entropy?: number;
  /** The rule runs only on these paths (globs relative to the config's directory). */
  paths?: string[];
  /** Added to the rule's own allowlist. */
  allowlist?: AllowlistSpec;
  origin: Origin;
}

/**
 * One config file, checked: what it sets and where. Configs in subdirectories refine the ones
 * above them; globs in a layer are relative to the layer's directory.
 */
export interface ConfigLayer {
  /** The file as shown to the user. */
  file: string;
  /** Absolute directory the layer's globs are relative to. */
  dir: string;
  extends?: 'default' | 'none';
  disable: { id: string; origin: Origin }[];
  enable: { id: string; origin: Origin }[];
  overrides: Record<string, RuleOverride>;
  custom: CatalogueRule[];
  allowlist: AllowlistSpec;
  maxFileSize?: number;
  failOn?: Severity;
  /** `verify: true` asks providers about findings; read only from the config at the repository top. */
  verify?: boolean;
  /** Hosts to verify against per provider (self-hosted GitLab, Shopify shops); read only from the top config, like `verify`. */
  verifyHosts?: VerifyHosts;
  /** Facts to show with the summary (a translated gitleaks config, rules it could not translate). */
  notes: string[];
}

/** A layer that sets nothing yet, for `file` (as shown) whose globs are relative to `dir`. */
export const emptyLayer = (file: string, dir: string): ConfigLayer => ({
  file,
  dir,
  disable: [],
  enable: [],
  overrides: {},
  custom: [],
  allowlist: {},
  notes: [],
});
