import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanChunk } from '../../src/engine/scan.js';
import { parseRuleFiles, readRuleDirectory, toCatalogueRule } from '../../src/rules/catalogue.js';
import { compileRuleSet } from '../../src/rules/compile.js';

const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));

const camelCase = (name: string): string =>
  name.toLowerCase().replace(/[_-]([a-z0-9])/g, (_, next: string) => next.toUpperCase());
const upper = (name: string): string => name.toUpperCase().replace(/-/g, '_');
const lower = (name: string): string => name.toLowerCase().replace(/-/g, '_');

/** The places a name and its value are written in real repositories: a file name and its text. */
const CONTAINERS: Record<string, (name: string, value: string) => [path: string, text: string]> = {
  'JSON member': (name, value) => ['config.json', `{\n  "${name}": "${value}"\n}\n`],
  'YAML mapping': (name, value) => ['config.yml', `env:\n  ${name}: ${value}\n`],
  'GitHub Actions env': (name, value) => ['.github/workflows/ci.yml', `    env:\n      ${upper(name)}: ${value}\n`],
  'Kubernetes env': (name, value) => ['deploy.yaml', `        env:\n          - name: ${upper(name)}\n            value: "${value}"\n`],
  'compose environment': (name, value) => ['docker-compose.yml', `services:\n  app:\n    environment:\n      - ${upper(name)}=${value}\n`],
  'XML element': (name, value) => ['settings.xml', `<settings>\n  <${name}>${value}</${name}>\n</settings>\n`],
  'PHP define': (name, value) => ['config.php', `<?php\ndefine('${upper(name)}', '${value}');\n`],
  'Makefile ?=': (name, value) => ['Makefile', `${upper(name)} ?= ${value}\n`],
  Terraform: (name, value) => ['main.tf', `locals {\n  ${lower(name)} = "${value}"\n}\n`],
  TOML: (name, value) => ['config.toml', `[auth]\n${lower(name)} = "${value}"\n`],
  INI: (name, value) => ['app.ini', `[default]\n${lower(name)} = ${value}\n`],
  'Python dict': (name, value) => ['settings.py', `CONFIG = {\n    "${lower(name)}": "${value}",\n}\n`],
  'JS object': (name, value) => ['config.js', `module.exports = {\n  ${camelCase(name)}: '${value}',\n};\n`],
  Go: (name, value) => ['main.go', `func main() {\n\t${camelCase(name)} := "${value}"\n}\n`],
  Java: (name, value) => ['App.java', `class App {\n  private static final String ${upper(name)} = "${value}";\n}\n`],
  'shell export': (name, value) => ['env.sh', `export ${upper(name)}='${value}'\n`],
  'prettier-wrapped': (name, value) => ['config.ts', `export const ${camelCase(name)} =\n  "${value}";\n`],
  'black-wrapped': (name, value) => ['settings.py', `${upper(name)} = (\n    "${value}"\n)\n`],
  'YAML block scalar': (name, value) => ['config.yml', `env:\n  ${name}: >-\n    ${value}\n`],
  'dotted property': (name, value) => ['application.properties', `${lower(name).replaceAll('_', '.')}=${value}\n`],
  'os.getenv default': (name, value) => ['app.py', `key = os.getenv("${upper(name)}", "${value}")\n`],
  'os.environ.setdefault': (name, value) => ['app.py', `os.environ.setdefault("${upper(name)}", "${value}")\n`],
  'ENV.fetch default': (name, value) => ['app.rb', `key = ENV.fetch("${upper(name)}", "${value}")\n`],
  'map.put': (name, value) => ['App.java', `config.put("${upper(name)}", "${value}");\n`],
  'process.env default': (name, value) => ['app.js', `const key = process.env.${upper(name)} || "${value}";\n`],
  'Windows batch set': (name, value) => ['setup.bat', `set ${upper(name)}=${value}\r\n`],
  'PowerShell $env:': (name, value) => ['setup.ps1', `$env:${upper(name)} = "${value}"\n`],
  'fish set -gx': (name, value) => ['config.fish', `set -gx ${upper(name)} ${value}\n`],
  'docker run -e': (name, value) => ['run.sh', `docker run -e ${upper(name)}=${value} app:latest\n`],
  'systemd Environment=': (name, value) => ['app.service', `[Service]\nEnvironment="${upper(name)}=${value}"\n`],
  'nginx fastcgi_param': (name, value) => ['site.conf', `    fastcgi_param ${upper(name)} ${value};\n`],
  'Apache SetEnv': (name, value) => ['.htaccess', `SetEnv ${upper(name)} ${value}\n`],
  'C #define': (name, value) => ['include/secrets.h', `#define ${upper(name)} "${value}"\n`],
  'Objective-C @""': (name, value) => ['Config.m', `static NSString *const k${camelCase(name)} = @"${value}";\n`],
  'Gradle buildConfigField': (name, value) => ['app/build.gradle', `        buildConfigField "String", "${upper(name)}", "\\"${value}\\""\n`],
  'Gradle Groovy setter': (name, value) => ['app/build.gradle', `            ${camelCase(name)} "${value}"\n`],
  'Spring @Value default': (name, value) => [
    'src/main/java/App.java',
    `class App {\n  @Value("\${app.${lower(name).replaceAll('_', '.')}:${value}}")\n  private String key;\n}\n`,
  ],
  'Android string resource': (name, value) => [
    'app/src/main/res/values/strings.xml',
    `<resources>\n    <string name="${lower(name)}" translatable="false">${value}</string>\n</resources>\n`,
  ],
  'IPython %env': (name, value) => ['setup.ipynb', `{"cells": [{"source": [${JSON.stringify(`%env ${upper(name)} ${value}\n`)}]}]}\n`],
  'TypeScript typed const': (name, value) => ['config.ts', `export const ${upper(name)}: string = "${value}";\n`],
  'Python type hint': (name, value) => ['settings.py', `${upper(name)}: str = "${value}"\n`],
  'Kotlin typed val': (name, value) => ['Config.kt', `val ${camelCase(name)}: String = "${value}"\n`],
  'Rust const': (name, value) => ['main.rs', `const ${upper(name)}: &str = "${value}";\n`],
  'Go typed var': (name, value) => ['main.go', `var ${camelCase(name)} string = "${value}"\n`],
  'nested JSON': (name, value) => ['appsettings.json', `{\n  "Service": {\n    "${name}": "${value}"\n  }\n}\n`],
};

/** A one-line positive example `NAME = value` (any operator and quotes) whose value is the whole secret. */
const NAMED = /^\s*(?:export\s+)?([A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+)\s*["']?\s*(?:=|:)\s*["'`]?([^"'`\s]+)["'`]?\s*;?\s*$/;

// kubeconfig's keys and SSSD's ldap_default_authtok are fixed names; volcengine's `Sk` cannot be told
// from a word under the rule's case-insensitive flag once camelCased.
const FIXED_NAMES = new Set(['kubeconfig-client-key', 'sssd-ldap-authtok', 'volcengine-secret-access-key']);

describe('provider rules in the files names and values are written in', async () => {
  const { rules } = await parseRuleFiles(await readRuleDirectory(RULES_DIR));
  const ruleSet = compileRuleSet(rules.map(toCatalogueRule));
  const examples = rules.flatMap(({ spec }) =>
    spec.id.startsWith('generic') || FIXED_NAMES.has(spec.id)
      ? []
      : spec.examples.positive.flatMap((example) => {
          const parts = NAMED.exec(example.text);
          return parts?.[2] === example.secret && parts[1] ? [{ id: spec.id, name: parts[1], secret: example.secret }] : [];
        }),
  );

  it.each(Object.entries(CONTAINERS))('finds every named positive example written as: %s', (form, render) => {
    expect(examples.length).toBeGreaterThan(900);
    const missed = examples.flatMap(({ id, name, secret }) => {
      // In a Makefile `#` starts a comment: such a value is not what the line assigns.
      if (form === 'Makefile ?=' && secret.includes('#')) return [];
      // `%env NAME =…` is IPython's `NAME=value` form with a blank, not a value that starts with `=`.
      if (form === 'IPython %env' && secret.startsWith('=')) return [];
      // A placeholder's default ends at the first `}` (Spring has no escape for braces in it).
      if (form === 'Spring @Value default' && /[{}]/.test(secret)) return [];
      const [path, text] = render(name, secret);
      const { findings } = scanChunk({ path, content: text, startLine: 1, origin: 'file' }, ruleSet);
      return findings.some((finding) => finding.secret === secret) ? [] : [`${id}: ${path}: ${text}`];
    });
    expect(missed).toEqual([]);
  });
});
