// Writes the generated part of the accuracy corpus (corpus/projects/, its entries in labels.json)
// and the realistic-leak fixtures (fixtures/realistic-leaks/ and fixtures/realistic-leaks.json).
//   npm run build && node bench/accuracy/generate.mjs
// Every provider token is new: a value in the shape of one of the rule's own examples that the rule
// reports in that example's text (tokens.mjs). Generic secrets are passwords and keys people pick,
// written in the constructs of issue 16 (constructs.mjs); negatives come from negatives.mjs.
// Re-running it gives the same files.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constructFiles, keyFiles, password } from './constructs.mjs';
import { ASSIGNMENT_FORMS, render, upper } from './forms.mjs';
import { cleanFiles, negativeEntries } from './negatives.mjs';
import { prng, randomChars } from './synthetic.mjs';
import { ruleExamples, scanText, tokenFor } from './tokens.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const CORPUS = join(HERE, 'corpus');
const GENERATED = 'projects/';
const FIXTURES = join(HERE, '../../fixtures/realistic-leaks');
const FIXTURE_LABELS = join(HERE, '../../fixtures/realistic-leaks.json');
const PROJECTS = ['checkout-api', 'ledger-worker', 'partner-gateway', 'mobile-backend', 'data-platform'];

/** The assignment around an example's secret: `{ name }` when the example is `name = secret`. */
function assignment(text, secret) {
  const at = text.indexOf(secret);
  const before = text.slice(0, at).split('\n').at(-1) ?? '';
  const after = text.slice(at + secret.length).split('\n')[0] ?? '';
  const name = /(?:^|[\s{(,[])["'`]?([A-Za-z_][\w.-]*?)["'`]?\s*(?:=|:=|:|=>)\s*["'`]?$/.exec(before)?.[1];
  return name && /^["'`]?[;,]?\s*(?:#.*)?$/.test(after) ? name : undefined;
}

/** One synthetic token per rule, with the name it is assigned to or the whole line it sits in. */
async function tokens(rules, seed) {
  const out = [];
  for (const [index, rule] of rules.entries()) {
    const token = await tokenFor(rule, seed + index);
    if (!token) continue;
    // Credential files and multi-line examples keep their own layout; a rule bound to a file name
    // (.pgpass) has its own file in the hand-written corpus.
    if (rule.paths) continue;
    const keepLayout = rule.provider === 'credentials-files' || token.text.includes('\n');
    const assigned = keepLayout ? undefined : assignment(token.text, token.secret);
    // A dotted name (`"tokens.refresh"`) belongs to its tool's own file: kept as written.
    const name = assigned?.includes('.') ? undefined : assigned;
    // A whole example line with a second secret in it would need a second label: left out.
    if (!name && (await scanText(token.text)).length > 1) continue;
    out.push({
      rule: rule.id,
      provider: rule.provider,
      secret: token.secret,
      name,
      raw: name ? undefined : token.text,
    });
  }
  return out;
}

const writeFile = (root, path, content) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
};

/** Deals `entries` out to one file per form, with two negatives in each: the rendered files. */
function dealForms(project, assigned, raw, negatives, forms = ASSIGNMENT_FORMS) {
  const files = [];
  const perForm = new Map(forms.map((form) => [form, []]));
  assigned.forEach((entry, index) => perForm.get(forms[index % forms.length])?.push(entry));
  forms.forEach((form, index) => {
    const entries = perForm.get(form) ?? [];
    for (const negative of [
      negatives[(2 * index) % negatives.length],
      negatives[(2 * index + 1) % negatives.length],
    ])
      if (negative)
        entries.splice(Math.min(entries.length, 1 + (index % 3)), 0, { ...negative, value: negative.value });
    files.push(render(form, project, entries));
    files.at(-1).entries = entries;
  });
  const scripts = raw.filter((entry) =>
    /^\s*(curl|export|git|docker|npm|wget|http|ssh)\b|https?:\/\//.test(entry.raw),
  );
  const code = raw.filter((entry) => !scripts.includes(entry));
  for (const [form, entries] of [
    ['script', scripts],
    ['runbook', code],
  ]) {
    if (entries.length === 0) continue;
    files.push(
      render(
        form,
        project,
        // A key block is reported at its first line.
        entries.map((entry) => ({
          ...entry,
          mark:
            ['-----BEGIN', 'PuTTY-User-Key-File'].find((marker) => entry.raw.includes(marker)) ??
            entry.secret,
        })),
      ),
    );
    files.at(-1).entries = entries;
  }
  return files;
}

/** Labels of a rendered file: each entry's rule or negative kind at its line. */
const labelsOf = (path, file) =>
  file.entries.map((entry, index) =>
    entry.rule
      ? { file: path, line: file.at[index], rule: entry.rule, form: file.form }
      : { file: path, line: file.at[index], negative: entry.kind, form: file.form },
  );

async function corpus(rules) {
  rmSync(join(CORPUS, GENERATED), { recursive: true, force: true });
  const labels = JSON.parse(readFileSync(join(HERE, 'labels.json'), 'utf8')).filter(
    (label) => !label.file.startsWith(GENERATED),
  );
  const all = await tokens(rules, 1000);
  const next = prng(4242);
  for (const [p, project] of PROJECTS.entries()) {
    const mine = all.filter((_, index) => index % PROJECTS.length === p);
    const files = dealForms(
      project,
      mine.filter((token) => token.name).map((token) => ({ ...token, value: token.secret })),
      mine.filter((token) => !token.name),
      negativeEntries(next)
        .slice(p * 3)
        .concat(negativeEntries(next).slice(0, p * 3)),
    );
    const root = `${GENERATED}${project}/`;
    for (const file of files) {
      file.form = file.path;
      writeFile(CORPUS, root + file.path, file.text);
      labels.push(...labelsOf(root + file.path, file));
    }
    for (const clean of cleanFiles(next, project)) {
      writeFile(CORPUS, root + clean.path, clean.text);
      for (const [line, kind] of Object.entries(clean.kinds))
        labels.push({ file: root + clean.path, line: Number(line), negative: kind, form: clean.path });
    }
    if (p < 2) {
      for (const construct of constructFiles(7000 + p)) {
        writeFile(CORPUS, root + construct.path, construct.lines.map(([text]) => text).join('\n') + '\n');
        construct.lines.forEach(([, label], index) => {
          if (label)
            labels.push({ file: root + construct.path, line: index + 1, ...label, form: construct.path });
        });
      }
      for (const key of keyFiles(9000 + p)) {
        writeFile(CORPUS, root + key.path, key.text);
        labels.push({
          file: root + key.path,
          line: key.line,
          ...(key.rule ? { rule: key.rule } : { negative: key.negative }),
          form: key.path,
        });
      }
    }
  }
  labels.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  writeFileSync(join(HERE, 'labels.json'), JSON.stringify(labels, null, 2) + '\n');
  const negatives = labels.filter((label) => label.negative).length;
  console.log(
    `corpus: ${labels.length} labelled lines, ${labels.length - negatives} secrets, ${negatives} negatives`,
  );
}

/** Special containers of the realistic-leak suite: `{ path, content, leaks: [{ line, rule }] }`. */
function specialFiles(pick, next) {
  const files = [];
  const npm = pick('npm-access-token');
  const gh = pick('github-pat');
  const pypi = pick('pypi-api-token');
  const ecKey = Buffer.from(
    [
      '-----BEGIN EC PRIVATE KEY-----',
      ...(Buffer.concat([
        Buffer.from('30770201010420', 'hex'),
        Buffer.from(randomChars('0123456789abcdef', 226, next), 'hex'),
      ])
        .toString('base64')
        .match(/.{1,64}/g) ?? []),
      '-----END EC PRIVATE KEY-----',
      '',
    ].join('\n'),
  ).toString('base64');
  files.push({
    path: '.npmrc',
    content: [
      'registry=https://registry.npmjs.org/',
      `//registry.npmjs.org/:_authToken=${npm.secret}`,
      '@acme:registry=https://npm.pkg.github.com',
      `//npm.pkg.github.com/:_authToken=${gh.secret}`,
      'save-exact=true',
      '',
    ].join('\n'),
    leaks: [
      { line: 2, rule: npm.rule },
      { line: 4, rule: gh.rule },
    ],
  });
  files.push({
    path: '.pypirc',
    content: [
      '[distutils]',
      'index-servers =',
      '    pypi',
      '',
      '[pypi]',
      'username = __token__',
      `password = ${pypi.secret}`,
      '',
    ].join('\n'),
    leaks: [{ line: 7, rule: pypi.rule }],
  });
  files.push({
    path: '.kube/config',
    content: [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- cluster:',
      '    server: https://10.0.0.1:6443',
      '  name: prod',
      'users:',
      '- name: admin',
      '  user:',
      '    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
      `    client-key-data: ${ecKey}`,
      'current-context: prod',
      '',
    ].join('\n'),
    leaks: [{ line: 11, rule: 'kubeconfig-client-key' }],
  });
  const bundled = ['stripe-secret-key', 'sendgrid-api-key', 'slack-bot-token', 'openai-api-key'].map(pick);
  files.push({
    path: 'public/assets/app.min.js',
    content: `!function(){"use strict";var e={apiBase:"https://api.acme.example",${bundled.map((token, index) => `k${index}:"${token.secret}"`).join(',')}};window.__APP__=e}();\n//# sourceMappingURL=app.min.js.map\n`,
    leaks: bundled.map((token) => ({ line: 1, rule: token.rule })),
  });
  const utf16 = ['openai-api-key', 'anthropic-api-key', 'aws-access-key-id'].map(pick);
  files.push({
    path: 'tools/profile.ps1',
    content: Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        [
          '# PowerShell profile for the build agent',
          ...utf16.map((token) => `$env:${upper(token.rule)} = "${token.secret}"`),
          'Set-Location C:\\build',
          '',
        ].join('\r\n'),
        'utf16le',
      ),
    ]),
    leaks: utf16.map((token, index) => ({ line: index + 2, rule: token.rule })),
  });
  const crlf = ['github-pat', 'gitlab-pat', 'npm-access-token', 'stripe-restricted-key'].map(pick);
  files.push({
    path: 'scripts/release.bat',
    content: [
      '@echo off',
      'rem release from a Windows agent',
      ...crlf.map((token) => `set ${upper(token.rule)}=${token.secret}`),
      'call npm publish',
      '',
    ].join('\r\n'),
    leaks: crlf.map((token, index) => ({ line: index + 3, rule: token.rule })),
  });
  const encoded = ['slack-bot-token', 'sendgrid-api-key', 'github-pat', 'digitalocean-token'].map(pick);
  files.push({
    path: 'k8s/app-secret.yaml',
    content: [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: app',
      'type: Opaque',
      'data:',
      ...encoded.map((token) => `  ${upper(token.rule)}: ${Buffer.from(token.secret).toString('base64')}`),
      '',
    ].join('\n'),
    leaks: encoded.map((token, index) => ({ line: index + 7, rule: token.rule })),
  });
  const pw = () => password(next);
  files.push({
    path: 'appsettings.Production.json',
    content: [
      '{',
      '  "ConnectionStrings": {',
      `    "Orders": "Server=sql-prod-01;Database=Orders;User Id=orders_app;Password=${pw()};TrustServerCertificate=True"`,
      '  },',
      '  "Smtp": {',
      '    "Host": "smtp.office365.com",',
      '    "User": "noreply@acme.example",',
      `    "Password": "${pw()}"`,
      '  }',
      '}',
      '',
    ].join('\n'),
    leaks: [
      { line: 3, rule: 'mssql-connection-string' },
      { line: 8, rule: 'generic-password' },
    ],
  });
  files.push({
    path: 'config/database.yml',
    content: [
      'production:',
      '  adapter: postgresql',
      '  host: db.internal',
      '  username: storefront',
      `  password: "${pw()}"`,
      `  url: postgres://storefront:${pw()}@db.internal:5432/storefront`,
      '',
    ].join('\n'),
    leaks: [
      { line: 5, rule: 'generic-password' },
      { line: 6, rule: 'postgres-connection-string' },
    ],
  });
  return files;
}

async function realistic(rules) {
  rmSync(FIXTURES, { recursive: true, force: true });
  const all = await tokens(rules, 5000);
  // The special files get tokens of their own: the same secret twice in one commit is one finding
  // of a history scan.
  const spares = [await tokens(rules, 6000), await tokens(rules, 7000), await tokens(rules, 8000)];
  const pick = (rule) => {
    for (const spare of spares) {
      const index = spare.findIndex((token) => token.rule === rule && !used.has(token.secret));
      if (index !== -1) {
        used.add(spare[index].secret);
        return spare.splice(index, 1)[0];
      }
    }
    throw new Error(`no token for ${rule}`);
  };
  const next = prng(31337);
  const used = new Set(all.map((token) => token.secret));
  // Every third rule whose token is assigned to a name, in the forms of everyday config files.
  const chosen = all.filter((token, index) => token.name && index % 3 === 0);
  const forms = [
    'env',
    'json',
    'yaml',
    'toml',
    'xml',
    'properties',
    'ini',
    'dockerfile',
    'compose',
    'shell',
    'notebook',
    'terraform',
    'appsettings',
    'kubernetes',
    'workflow',
    'python',
    'typescript',
    'go',
  ];
  const files = dealForms(
    'storefront',
    chosen.map((token) => ({ ...token, value: token.secret })),
    [],
    [],
    forms,
  ).map((file) => ({
    path: file.path,
    content: file.text,
    leaks: file.entries.map((entry, index) => ({ line: file.at[index], rule: entry.rule })),
  }));
  files.push(...specialFiles(pick, next));
  const labels = [];
  for (const file of files) {
    writeFile(FIXTURES, file.path, file.content);
    const text = Buffer.isBuffer(file.content) ? file.content.subarray(2).toString('utf16le') : file.content;
    const findings = await scanText(text, file.path);
    // A leak another rule reports is still found (`reportedAs` names that rule); `missed` is a
    // leak with no finding on its line. The expectations of the test are what the scan found.
    for (const leak of file.leaks) {
      const onLine = findings.filter((finding) => finding.line === leak.line);
      const exact = onLine.some((finding) => finding.ruleId === leak.rule);
      labels.push({
        file: file.path,
        ...leak,
        ...(onLine.length === 0 ? { missed: true } : !exact && { reportedAs: onLine[0]?.ruleId }),
      });
    }
  }
  writeFileSync(FIXTURE_LABELS, JSON.stringify(labels, null, 2) + '\n');
  const missed = labels.filter((label) => label.missed);
  console.log(
    `realistic leaks: ${labels.length} in ${files.length} files, ${missed.length} not found by a directory scan`,
  );
  for (const label of labels.filter((entry) => entry.missed || entry.reportedAs))
    console.log(
      `  ${label.missed ? 'missed' : `reported as ${label.reportedAs}:`} ${label.rule} in ${label.file}:${label.line}`,
    );
}

const rules = ruleExamples();
await corpus(rules);
await realistic(rules);
