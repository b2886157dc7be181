import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KeyfenceError } from '../errors.js';
import type { AllowlistSpec, CatalogueRule } from '../rules/types.js';
import { emptyLayer } from './layer.js';
import type { ParsedConfig } from './parse.js';
import { translateRe2 } from './re2.js';

/** The provider name translated gitleaks rules are reported under. */
export const GITLEAKS_PROVIDER = 'gitleaks';

/**
 * gitleaks default rule ids and the keyfence rules that cover the same credential, for
 * `[extend] disabledRules` and `.gitleaksignore` entries. Only pairs whose token formats are the
 * same are listed; other gitleaks ids are reported as having no equivalent.
 */
export const GITLEAKS_RULE_IDS: Record<string, string[]> = {
  'age-secret-key': ['age-secret-key'],
  'anthropic-api-key': ['anthropic-api-key'],
  'aws-access-token': ['aws-access-key-id'],
  'databricks-api-token': ['databricks-token'],
  'digitalocean-pat': ['digitalocean-token'],
  'doppler-api-token': ['doppler-token'],
  'dynatrace-api-token': ['dynatrace-api-token'],
  'gcp-api-key': ['google-api-key'],
  'generic-api-key': ['generic-secret', 'generic-password', 'oauth-client-secret'],
  'github-app-token': ['github-user-to-server-token', 'github-server-to-server-token'],
  'github-fine-grained-pat': ['github-fine-grained-pat'],
  'github-oauth': ['github-oauth-token'],
  'github-pat': ['github-pat'],
  'github-refresh-token': ['github-refresh-token'],
  'gitlab-pat': ['gitlab-pat'],
  'hashicorp-tf-api-token': ['terraform-cloud-token'],
  'heroku-api-key': ['heroku-api-key'],
  'huggingface-access-token': ['huggingface-token'],
  jwt: ['jwt'],
  'linear-api-key': ['linear-api-key'],
  'mailchimp-api-key': ['mailchimp-api-key'],
  'npm-access-token': ['npm-access-token'],
  'openai-api-key': ['openai-api-key'],
  'postman-api-token': ['postman-api-key'],
  'private-key': [
    'private-key-rsa',
    'private-key-ec',
    'private-key-dsa',
    'private-key-pkcs8',
    'private-key-pkcs8-encrypted',
    'private-key-openssh',
    'private-key-pgp',
    'private-key-putty',
  ],
  'pulumi-api-token': ['pulumi-access-token'],
  'pypi-upload-token': ['pypi-api-token'],
  'rubygems-api-token': ['rubygems-api-key'],
  'sendgrid-api-token': ['sendgrid-api-key'],
  'shopify-access-token': ['shopify-access-token'],
  'shopify-shared-secret': ['shopify-shared-secret'],
  'slack-app-token': ['slack-app-token'],
  'slack-bot-token': ['slack-bot-token'],
  'slack-user-token': ['slack-user-token'],
  'slack-webhook-url': ['slack-webhook-url'],
  'stripe-access-token': [
    'stripe-secret-key',
    'stripe-secret-key-test',
    'stripe-restricted-key',
    'stripe-restricted-key-test',
  ],
  'telegram-bot-api-token': ['telegram-bot-token'],
  'twilio-api-key': ['twilio-api-key'],
  'vault-service-token': ['hashicorp-vault-token'],
};

type Table = Record<string, unknown>;

const isTable = (value: unknown): value is Table =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** gitleaks allowlists: the old single `allowlist` table and the newer `allowlists` array. */
function allowlistsOf(table: Table): Table[] {
  const single = isTable(table.allowlist) ? [table.allowlist] : [];
  const many = Array.isArray(table.allowlists) ? table.allowlists.filter(isTable) : [];
  return [...single, ...many];
}

/** Translates one gitleaks allowlist; `problems` receives what cannot be translated. */
function translateAllowlist(allowlist: Table, where: string, problems: string[]): AllowlistSpec | undefined {
  if (typeof allowlist.condition === 'string' && allowlist.condition.toUpperCase() === 'AND') {
    problems.push(
      `${where}: condition = "AND" is not supported; this allowlist is not applied (findings it would hide are reported)`,
    );
    return undefined;
  }
  const target = typeof allowlist.regexTarget === 'string' ? allowlist.regexTarget : 'secret';
  const key = target === 'match' ? 'matches' : target === 'line' ? 'lines' : 'secrets';
  const regexes: string[] = [];
  for (const pattern of strings(allowlist.regexes)) {
    const translated = translateRe2(pattern);
    if ('error' in translated)
      problems.push(`${where}: regex ${JSON.stringify(pattern)}: ${translated.error}; entry skipped`);
    else regexes.push(translated.flags ? `(?${translated.flags})${translated.source}` : translated.source);
  }
  const pathRegexes: string[] = [];
  for (const pattern of strings(allowlist.paths)) {
    const translated = translateRe2(pattern);
    if ('error' in translated)
      problems.push(`${where}: path ${JSON.stringify(pattern)}: ${translated.error}; entry skipped`);
    else
      pathRegexes.push(translated.flags ? `(?${translated.flags})${translated.source}` : translated.source);
  }
  const commits = strings(allowlist.commits).filter((commit) => /^[0-9a-f]{7,64}$/i.test(commit));
  const stopwords = strings(allowlist.stopwords);
  return {
    ...(regexes.length > 0 && { [key]: regexes }),
    ...(pathRegexes.length > 0 && { pathRegexes }),
    ...(commits.length > 0 && { commits }),
    ...(stopwords.length > 0 && { stopwords }),
  };
}

const mergeAllowlists = (list: AllowlistSpec[]): AllowlistSpec => {
  const merged: AllowlistSpec = {};
  for (const allowlist of list) {
    for (const key of [
      'secrets',
      'matches',
      'lines',
      'stopwords',
      'paths',
      'pathRegexes',
      'commits',
    ] as const) {
      const values = allowlist[key];
      if (values) merged[key] = [...(merged[key] ?? []), ...values];
    }
  }
  return merged;
};

/** Translates one `[[rules]]` entry; undefined (with a problem) when it cannot be. */
function translateRule(rule: Table, index: number, problems: string[]): CatalogueRule | undefined {
  const id = typeof rule.id === 'string' ? rule.id : `rule-${index + 1}`;
  const where = `rule ${id}`;
  if (typeof rule.regex !== 'string') {
    problems.push(
      `${where}: ${typeof rule.path === 'string' ? 'path-only rules (a file name is the finding) are not supported' : 'has no regex'}; rule skipped`,
    );
    return undefined;
  }
  const secretGroup = typeof rule.secretGroup === 'number' ? rule.secretGroup : 0;
  const translated = translateRe2(rule.regex, secretGroup);
  if ('error' in translated) {
    problems.push(`${where}: regex cannot be translated: ${translated.error}; rule skipped`);
    return undefined;
  }
  const pathRegexes: string[] = [];
  if (typeof rule.path === 'string') {
    const path = translateRe2(rule.path);
    if ('error' in path) {
      problems.push(`${where}: path cannot be translated: ${path.error}; rule skipped`);
      return undefined;
    }
    pathRegexes.push(path.flags ? `(?${path.flags})${path.source}` : path.source);
  }
  const allowlists = allowlistsOf(rule).flatMap(
    (allowlist, position) =>
      translateAllowlist(allowlist, `${where}: allowlist ${position + 1}`, problems) ?? [],
  );
  return {
    id,
    title: typeof rule.description === 'string' ? rule.description : id,
    severity: 'high',
    keywords: strings(rule.keywords).map((keyword) => keyword.toLowerCase()),
    regex: translated.source,
    ...(translated.flags && { flags: translated.flags }),
    ...(typeof rule.entropy === 'number' && { entropy: rule.entropy }),
    ...(allowlists.length > 0 && { allowlist: mergeAllowlists(allowlists) }),
    ...(pathRegexes.length > 0 && { pathRegexes }),
    provider: GITLEAKS_PROVIDER,
    syntax: 're2',
    remediation:
      'Revoke and rotate this credential at its issuer, then read it from an environment variable or secret manager.',
    references: [],
  };
}

async function parseToml(text: string, file: string): Promise<Table> {
  const { parse, TomlError } = await import('smol-toml');
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof TomlError)
      throw new KeyfenceError(`${file}:${error.line}: invalid TOML: ${error.message.split('\n')[0] ?? ''}`);
    throw error;
  }
}

/** Keyfence ids for gitleaks ids; unknown ones go to `unknown`. */
export function keyfenceIdsFor(
  ids: readonly string[],
  custom: ReadonlySet<string>,
  unknown: string[],
): string[] {
  return ids.flatMap((id) => {
    if (custom.has(id)) return [id];
    const mapped = GITLEAKS_RULE_IDS[id];
    if (!mapped) unknown.push(id);
    return mapped ?? [];
  });
}

const MAX_EXTEND_DEPTH = 4;

/**
 * Reads a gitleaks config (`.gitleaks.toml`) as a keyfence config layer: its rules become custom
 * rules (RE2 translated), its allowlists keyfence allowlists, `[extend] useDefault` the built-in
 * catalogue and `[extend] path` another gitleaks file merged in. Everything that cannot be
 * translated exactly is listed in the layer's notes.
 */
export async function translateGitleaks(
  text: string,
  file: string,
  dir: string,
  depth = 0,
): Promise<ParsedConfig> {
  const config = await parseToml(text, file);
  const problems: string[] = [];
  const layer = emptyLayer(file, dir);
  const extend = isTable(config.extend) ? config.extend : {};
  layer.extends = extend.useDefault === true ? 'default' : 'none';
  const rules = Array.isArray(config.rules) ? config.rules.filter(isTable) : [];
  const customIds = new Set<string>();
  rules.forEach((rule, index) => {
    const translated = translateRule(rule, index, problems);
    if (translated) {
      layer.custom.push(translated);
      customIds.add(translated.id);
    }
  });
  const globals: AllowlistSpec[] = [];
  const origin = { file, line: 1, field: 'extend' };
  allowlistsOf(config).forEach((allowlist, position) => {
    const spec = translateAllowlist(allowlist, `allowlist ${position + 1}`, problems);
    if (!spec) return;
    const targets = strings(allowlist.targetRules);
    if (targets.length === 0) {
      globals.push(spec);
      return;
    }
    const unknown: string[] = [];
    for (const id of keyfenceIdsFor(targets, customIds, unknown)) {
      const custom = layer.custom.find((rule) => rule.id === id);
      if (custom) custom.allowlist = mergeAllowlists([custom.allowlist ?? {}, spec]);
      else
        layer.overrides[id] = {
          origin,
          allowlist: mergeAllowlists([layer.overrides[id]?.allowlist ?? {}, spec]),
        };
    }
    if (unknown.length > 0)
      problems.push(
        `allowlist ${position + 1}: targetRules ${unknown.join(', ')} have no keyfence equivalent`,
      );
  });
  layer.allowlist = mergeAllowlists(globals);
  const unknownDisabled: string[] = [];
  layer.disable = keyfenceIdsFor(strings(extend.disabledRules), customIds, unknownDisabled).map((id) => ({
    id,
    origin,
  }));
  if (unknownDisabled.length > 0)
    problems.push(`[extend] disabledRules ${unknownDisabled.join(', ')} have no keyfence equivalent`);
  if (typeof extend.path === 'string') {
    if (depth >= MAX_EXTEND_DEPTH)
      throw new KeyfenceError(`${file}: [extend] path: more than ${MAX_EXTEND_DEPTH} levels of extension`);
    const basePath = resolve(dir, extend.path);
    let baseText: string;
    try {
      baseText = await readFile(basePath, 'utf8');
    } catch {
      throw new KeyfenceError(`${file}: [extend] path: cannot read ${extend.path}`);
    }
    const base = (await translateGitleaks(baseText, extend.path, dirname(basePath), depth + 1)).layer;
    const own = new Set(layer.custom.map((rule) => rule.id));
    layer.custom = [...base.custom.filter((rule) => !own.has(rule.id)), ...layer.custom];
    layer.allowlist = mergeAllowlists([base.allowlist, layer.allowlist]);
    layer.disable = [...base.disable, ...layer.disable];
    if (base.extends === 'default') layer.extends = 'default';
    problems.push(...base.notes);
  }
  layer.notes = [
    `${file}: gitleaks config translated (${layer.custom.length} rule(s)${layer.extends === 'default' ? ' plus the built-in rules' : ''}); keyfence migrate gitleaks writes it as .keyfence.yaml`,
    ...problems.map((problem) => `${file}: ${problem}`),
  ];
  return { layer, customSources: [] };
}
