import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignmentsIn, ENCODED_ASSIGNMENT_SOURCE } from '../../src/engine/encoded.js';
import { runCli } from '../helpers/cli.js';
import { ALPHA, awsAccessKeyId, awsSecretKey, randomString } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

interface JsonFinding {
  ruleId: string;
  line: number;
  column: number;
  endColumn: number;
  secret: string;
  encoding?: string;
}

async function findings(files: Record<string, string>): Promise<{ list: JsonFinding[]; console: string }> {
  const cwd = makeTree(files);
  const json = await runCli(['scan', '.', '-f', 'json', '--no-redact'], { cwd });
  const console = await runCli(['scan', '.'], { cwd });
  return { list: (JSON.parse(json.stdout) as { findings: JsonFinding[] }).findings, console: console.stdout };
}

describe('encoded secrets', () => {
  it('finds an AWS key pair base64-encoded in a Kubernetes Secret, at the encoded span', async () => {
    const id = awsAccessKeyId(1101);
    const secret = awsSecretKey(1102);
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: aws-credentials',
      'type: Opaque',
      'data:',
      `  AWS_ACCESS_KEY_ID: ${b64(id)}`,
      `  AWS_SECRET_ACCESS_KEY: ${b64(secret)}`,
      `  region: ${b64('eu-west-1')}`,
      '',
    ].join('\n');
    const { list, console } = await findings({ 'k8s/secret.yaml': manifest });
    // Both halves decoded, a line apart: one paired finding at the secret, naming the id.
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      ruleId: 'aws-secret-access-key',
      line: 8,
      column: 26,
      endColumn: 26 + b64(secret).length,
      secret,
      encoding: 'base64',
      pairedWith: {
        ruleId: 'aws-access-key-id',
        line: 7,
        column: 22,
        endColumn: 22 + b64(id).length,
        secret: id,
      },
    });
    expect(console).toContain('aws-secret-access-key AWS secret access key (base64-encoded) [critical]');
    // The encoded value is masked like the secret: it is the secret, in another alphabet.
    expect(console).not.toContain(b64(secret).slice(0, 8));
  });

  it('finds the password of an HTTP Basic header and a percent-encoded password in a URL, at their encoded spans', async () => {
    const password = `${randomString(ALPHA.alnum, 14, 1103)}!`;
    const header = b64(`deploy:${password}`);
    const { list } = await findings({
      'deploy.sh': `curl -H "Authorization: Basic ${header}" https://registry.acme.example/v2/\n`,
      '.env': `DATABASE_URL=postgres://app:${encodeURIComponent(`p@ss:${password}`)}@db.internal:5432/app\n`,
    });
    expect(list.map(({ ruleId, line, column, secret: value }) => ({ ruleId, line, column, value }))).toEqual([
      {
        ruleId: 'postgres-connection-string',
        line: 1,
        column: 29,
        value: encodeURIComponent(`p@ss:${password}`),
      },
      { ruleId: 'http-basic-auth', line: 1, column: 31, value: header },
    ]);
  });

  it('finds a hex-encoded password behind its name, and leaves hex digests alone', async () => {
    const password = `${randomString(ALPHA.alnum, 12, 1105)}!x`;
    const hex = Buffer.from(password).toString('hex');
    const { list } = await findings({
      'secrets.env': `DB_PASSWORD_HEX=${hex}\nCHECKSUM=${randomString(ALPHA.hex, 64, 1106)}\n`,
    });
    expect(
      list.map(({ ruleId, line, column, secret: value, encoding }) => ({
        ruleId,
        line,
        column,
        value,
        encoding,
      })),
    ).toEqual([{ ruleId: 'generic-password', line: 1, column: 17, value: password, encoding: 'hex' }]);
  });

  it('leaves ordinary base64 alone: encoded text without secrets, binary data, and values inside longer lines', async () => {
    const { list } = await findings({
      'config.yaml': [
        `greeting: ${b64('hello world, this is fine')}`,
        `icon: ${Buffer.from(Array.from({ length: 48 }, (_, index) => (index * 37) % 256)).toString('base64')}`,
        `checksum: ${b64(randomString(ALPHA.hex, 40, 1104))}`,
        '',
      ].join('\n'),
    });
    expect(list).toEqual([]);
  });
});

describe('finding encoded assignments', () => {
  it('finds exactly the lines the assignment regex matches at a line start, however lines end', () => {
    // The reference: the anchored multiline regex tried at every position, as the engine once did.
    const everywhere = new RegExp(ENCODED_ASSIGNMENT_SOURCE, 'gm');
    const reference = (content: string) => {
      const found: { prefix: string; value: string; start: number }[] = [];
      everywhere.lastIndex = 0;
      for (let match = everywhere.exec(content); match; match = everywhere.exec(content)) {
        const prefix = match[1] ?? '';
        found.push({ prefix, value: match[2] ?? '', start: match.index + prefix.length });
      }
      return found;
    };
    const pick = (...options: string[]) => fc.constantFrom(...options);
    // Lines shaped like assignments, with every part sometimes missing or wrong.
    const line = fc
      .tuple(
        pick('', ' ', '  ', '- ', '\t', '\u2028'),
        pick('', '"', "'"),
        pick('key', 'a.b-c', 'DATA_1', ''),
        pick('', '"', "'"),
        pick('', ' ', '\u2029'),
        pick(':', '=', ' ', 'x'),
        pick('', ' ', '"'),
        pick(b64('user:secret-value-1'), 'QUJDREVGR0hJSktMTU5PUA==', '4142434445464748494a', 'short', ''),
        pick('', '"', "'", ' ', ',', ' x', '=='),
      )
      .map((parts) => parts.join(''));
    const noise = pick('key', ':', '=', ' ', '"', 'QUJDREVGR0hJSktMTU5PUA==', '+/');
    const terminator = pick('\n', '\r\n', '\r', '\u2028', '\u2029', '');
    const text = fc
      .array(
        fc.tuple(fc.oneof({ weight: 4, arbitrary: line }, { weight: 1, arbitrary: noise }), terminator),
        {
          maxLength: 12,
        },
      )
      .map((lines) => lines.flat().join(''));
    let matched = 0;
    fc.assert(
      fc.property(text, (content) => {
        const expected = reference(content);
        matched += expected.length;
        expect(assignmentsIn(content)).toEqual(expected);
      }),
      { numRuns: 10_000 },
    );
    // The generated texts do contain assignments, on lines ended every way.
    expect(matched).toBeGreaterThan(5_000);
  });
});

describe('code held as a JSON string', () => {
  it("finds a name-keyed token in a notebook cell's escaped quotes and in an escaped JSON document, at its place in the file", async () => {
    const lob = `test_${randomString(ALPHA.hex, 35, 1111)}`;
    const secret = awsSecretKey(1112);
    const cell = `    "lob_api_key = \\"${lob}\\"\\n",`;
    const nested = `{ "config": "{\\"aws_secret_access_key\\": \\"${secret}\\"}" }`;
    const prose = `const help = "set \\"lob_api_key\\" to your key, e.g. \\"test_...\\"";`;
    const { list, console } = await findings({
      'analysis.ipynb': [
        '{',
        ' "cells": [',
        '  { "cell_type": "code", "source": [',
        cell,
        '  ] }',
        ' ]',
        '}',
        '',
      ].join('\n'),
      'settings.json': `${nested}\n`,
      'help.js': `${prose}\n`,
    });
    const lobFinding = list.find((finding) => finding.ruleId === 'lob-api-key');
    expect(lobFinding).toMatchObject({ line: 4, column: cell.indexOf(lob) + 1, secret: lob });
    expect(lobFinding?.endColumn).toBe(cell.indexOf(lob) + 1 + lob.length);
    const awsFinding = list.find((finding) => finding.ruleId === 'aws-secret-access-key');
    expect(awsFinding).toMatchObject({ line: 1, column: nested.indexOf(secret) + 1, secret });
    expect(list.map((finding) => finding.ruleId).sort()).toEqual(['aws-secret-access-key', 'lob-api-key']);
    expect(console).not.toContain(lob.slice(8));
    expect(console).not.toContain(secret.slice(8));
  });
});

describe('URLs written with escapes', () => {
  it("finds credentials in URLs whose '/' or ':' are escaped (JSON, Java properties, HTML), at their place in the file", async () => {
    const webhook = `https://hooks.slack.com/services/T${randomString(ALPHA.upperAlnum, 10, 1621)}/B${randomString(ALPHA.upperAlnum, 10, 1622)}/${randomString(ALPHA.alnum, 24, 1623)}`;
    const pgPassword = randomString(ALPHA.alnum, 20, 1624);
    const mysqlPassword = randomString(ALPHA.alnum, 18, 1625);
    const gitPassword = randomString(ALPHA.alnum, 19, 1626);
    // PHP's json_encode writes every '/' as '\/'; no escaped quote is on the line.
    const json = `{"slack":"${webhook.replaceAll('/', '\\/')}","db":"postgres:\\/\\/app:${pgPassword}@db.internal:5432\\/app"}`;
    const properties = `legacy.url=jdbc\\:mysql\\://etl\\:${mysqlPassword}@mysql.internal\\:3306/legacy`;
    const html = `<a href="https:&#x2F;&#x2F;deploy:${gitPassword}@git.example.com&#x2F;team&#x2F;repo.git">clone</a>`;
    const { list, console } = await findings({
      'public/config.json': `${json}\n`,
      'src/main/resources/db.properties': `# generated\n${properties}\n`,
      'docs/clone.html': `<p>\n${html}\n</p>\n`,
    });
    const rows = list
      .map(({ ruleId, line, column, endColumn, secret }) => ({ ruleId, line, column, endColumn, secret }))
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId));
    expect(rows).toEqual([
      {
        ruleId: 'mysql-connection-string',
        line: 2,
        column: properties.indexOf(mysqlPassword) + 1,
        endColumn: properties.indexOf(mysqlPassword) + 1 + mysqlPassword.length,
        secret: mysqlPassword,
      },
      {
        ruleId: 'postgres-connection-string',
        line: 1,
        column: json.indexOf(pgPassword) + 1,
        endColumn: json.indexOf(pgPassword) + 1 + pgPassword.length,
        secret: pgPassword,
      },
      {
        ruleId: 'slack-webhook-url',
        line: 1,
        column: json.indexOf('https') + 1,
        endColumn: json.indexOf('https') + 1 + webhook.replaceAll('/', '\\/').length,
        secret: webhook,
      },
      {
        ruleId: 'url-credentials',
        line: 2,
        column: html.indexOf(gitPassword) + 1,
        endColumn: html.indexOf(gitPassword) + 1 + gitPassword.length,
        secret: gitPassword,
      },
    ]);
    for (const secret of [pgPassword, mysqlPassword, gitPassword])
      expect(console).not.toContain(secret.slice(4));
    expect(console).not.toContain(webhook.slice(-20));
  });

  it("finds a password whose '&' an HTML-safe JSON writer escaped as \\u0026, as the password it is", async () => {
    const password = `${randomString(ALPHA.alnum, 10, 1641)}&${randomString(ALPHA.alnum, 8, 1642)}`;
    // Go's encoding/json writes '&', '<' and '>' as \u0026, \u003c and \u003e.
    const line = `{"level":"info","msg":"connecting","dsn":"host=db user=app password=${password.replace('&', '\\u0026')} sslmode=require"}`;
    const { list } = await findings({ 'logs/service.log': `${line}\n` });
    expect(
      list.map(({ ruleId, line: at, column, endColumn, secret }) => ({
        ruleId,
        at,
        column,
        endColumn,
        secret,
      })),
    ).toEqual([
      {
        ruleId: 'generic-password',
        at: 1,
        column: line.indexOf('password=') + 10,
        endColumn: line.indexOf(' sslmode') + 1,
        secret: password,
      },
    ]);
  });

  it('leaves escaped URLs without credentials alone', async () => {
    const { list } = await findings({
      'public/links.json':
        '{"home":"https:\\/\\/www.example.com\\/","api":"https:\\/\\/api.example.com\\/v1?page=2&amp;size=10"}\n',
      'app.properties': 'db.url=jdbc\\:postgresql\\://localhost\\:5432/app\ndb.password=${DB_PASSWORD}\n',
      'index.html':
        '<a href="https:&#x2F;&#x2F;example.com&#x2F;docs?a=1&amp;b=2">docs</a>\n<p>user:&#47;&#47;name</p>\n',
      'i18n/fr.json':
        '{"greeting":"Bonjour \\u00e9t\\u00e9","html":"\\u003cb\\u003ebold\\u003c/b\\u003e \\u0026 more","query":"a=1\\u0026b=2"}\n',
    });
    expect(list).toEqual([]);
  });
});

describe("PowerShell's table of names and values", () => {
  it('finds an AWS key pair and a password in pasted Get-ChildItem env: output, at the values', async () => {
    const id = awsAccessKeyId(1631);
    const secret = awsSecretKey(1632);
    const password = `Vq7${randomString(ALPHA.alnum, 14, 1633)}`;
    const rows: [string, string][] = [
      ['ALLUSERSPROFILE', 'C:\\ProgramData'],
      ['AWS_ACCESS_KEY_ID', id],
      ['AWS_SECRET_ACCESS_KEY', secret],
      ['CommonProgramFiles(x86)', 'C:\\Program Files (x86)\\Common Files'],
      ['DB_PASSWORD', password],
      ['PATH', 'C:\\Windows\\system32;C:\\Windows'],
    ];
    const table = [
      '',
      'Name                           Value',
      '----                           -----',
      ...rows.map(([name, value]) => `${name.padEnd(30)} ${value}`),
      '',
      'PASSWORD_HINT                  not a row: the table ended',
    ];
    const { list } = await findings({ 'logs/build-env.txt': table.join('\r\n') });
    const rowOf = (value: string) => table.findIndex((line) => line.endsWith(value)) + 1;
    expect(
      list.map(({ ruleId, line, column, secret: found }) => ({ ruleId, line, column, secret: found })),
    ).toEqual([
      { ruleId: 'aws-secret-access-key', line: rowOf(secret), column: 32, secret },
      { ruleId: 'generic-password', line: rowOf(password), column: 32, secret: password },
    ]);
    expect(list[0]).toMatchObject({
      pairedWith: { ruleId: 'aws-access-key-id', line: rowOf(id), secret: id },
    });
  });

  it('leaves tables of other values, and dashes that are no such header, alone', async () => {
    const { list } = await findings({
      'logs/settings.txt': [
        'Name                           Value',
        '----                           -----',
        'PasswordMinLength              12',
        'TokenLifetime                  3600',
        'ApiBaseUrl                     https://api.example.com/v1',
        '',
      ].join('\n'),
      'NOTES.md': '| name | value |\n|---- | ---- |\n| token | see vault |\n',
    });
    expect(list).toEqual([]);
  });
});

describe('settings whose name and value are written apart', () => {
  it('finds name-keyed tokens in Web.config <add key value> and Dockerfile ENV NAME value, at the value', async () => {
    const lob = `live_${randomString(ALPHA.hex, 35, 1113)}`;
    const lobEnv = `test_${randomString(ALPHA.hex, 35, 1114)}`;
    const setting = `    <add key="Lob_Api_Key" value="${lob}" />`;
    const env = `ENV LOB_API_KEY ${lobEnv}`;
    const { list } = await findings({
      'Web.config': [
        '<configuration>',
        '  <appSettings>',
        setting,
        '  </appSettings>',
        '</configuration>',
        '',
      ].join('\n'),
      'deploy/Dockerfile': ['FROM node:20', env, ''].join('\n'),
      // Not a Dockerfile: the space form is read only where Docker reads it.
      'notes.txt': `${env}\n`,
    });
    expect(
      list.map((finding) => `${finding.ruleId} ${finding.line}:${finding.column} ${finding.secret}`).sort(),
    ).toEqual(
      [
        `lob-api-key 2:${env.indexOf(lobEnv) + 1} ${lobEnv}`,
        `lob-api-key 3:${setting.indexOf(lob) + 1} ${lob}`,
      ].sort(),
    );
  });

  it('finds name-keyed tokens in Kubernetes env and JSON name/value pairs, XML elements, PHP define and Makefile ?= / +=, at the value', async () => {
    const lob = (seed: number) => `live_${randomString(ALPHA.hex, 35, seed)}`;
    const k8s = lob(1121);
    const ecs = lob(1122);
    const ecsApart = lob(1123);
    const xml = lob(1124);
    const php = lob(1125);
    const make = lob(1126);
    const makeAppend = lob(1127);
    const k8sValue = `              value: "${k8s}"`;
    const xmlLine = `    <LobApiKey>${xml}</LobApiKey>`;
    const phpLine = `define('LOB_API_KEY', '${php}');`;
    const makeLine = `LOB_API_KEY ?= ${make}`;
    const appendLine = `export LOB_API_KEY += ${makeAppend}`;
    const ecsLine = `  "environment": [{ "name": "LOB_API_KEY", "value": "${ecs}" }],`;
    const apartValue = `      "value": "${ecsApart}"`;
    const { list } = await findings({
      'deploy/app.yaml': [
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: app',
        '          env:',
        '            - name: LOB_API_KEY',
        k8sValue,
        '            - name: LOB_ENV',
        '              valueFrom: { secretKeyRef: { name: lob, key: env } }',
        '',
      ].join('\n'),
      'task-definition.json': [
        '{',
        ecsLine,
        '  "secrets": [',
        '    {',
        '      "name": "LOB_KEY",',
        apartValue,
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
      'settings.xml': [
        '<settings>',
        xmlLine,
        '    <Description>live keys are rotated monthly</Description>',
        '</settings>',
        '',
      ].join('\n'),
      'config.php': ['<?php', phpLine, ''].join('\n'),
      Makefile: ['# deployment', makeLine, appendLine, ''].join('\n'),
      // Make's assignments are read only in Makefiles.
      'notes.txt': `LOB_API_KEY ?= ${lob(1129)}\n`,
    });
    expect(
      list.map((finding) => `${finding.ruleId} ${finding.line}:${finding.column} ${finding.secret}`).sort(),
    ).toEqual(
      [
        `lob-api-key 8:${k8sValue.indexOf(k8s) + 1} ${k8s}`,
        `lob-api-key 2:${ecsLine.indexOf(ecs) + 1} ${ecs}`,
        `lob-api-key 6:${apartValue.indexOf(ecsApart) + 1} ${ecsApart}`,
        `lob-api-key 2:${xmlLine.indexOf(xml) + 1} ${xml}`,
        `lob-api-key 2:${phpLine.indexOf(php) + 1} ${php}`,
        `lob-api-key 2:${makeLine.indexOf(make) + 1} ${make}`,
        `lob-api-key 3:${appendLine.indexOf(makeAppend) + 1} ${makeAppend}`,
      ].sort(),
    );
  });

  it("finds name-keyed tokens in black's wrapped assignments, one-line YAML block scalars, dotted .properties names and fish's set -gx, at the value", async () => {
    const lob = (seed: number) => `live_${randomString(ALPHA.hex, 35, seed)}`;
    const wrapped = lob(1131);
    const block = lob(1132);
    const dotted = lob(1133);
    const wrappedLine = `    "${wrapped}"`;
    const blockLine = `    ${block}`;
    const dottedLine = `lob.api.key=${dotted}`;
    const fish = lob(1134);
    const fishLine = `set -gx LOB_API_KEY ${fish}`;
    const { list } = await findings({
      'conf.d/env.fish': [fishLine, ''].join('\n'),
      'settings.py': ['import os', '', 'LOB_API_KEY = (', wrappedLine, ')', ''].join('\n'),
      'config.yml': ['lob:', '  lob_api_key: >-', blockLine, ''].join('\n'),
      'application.properties': ['server.port=8080', dottedLine, ''].join('\n'),
    });
    expect(
      list.map((finding) => `${finding.ruleId} ${finding.line}:${finding.column} ${finding.secret}`).sort(),
    ).toEqual(
      [
        `lob-api-key 4:${wrappedLine.indexOf(wrapped) + 1} ${wrapped}`,
        `lob-api-key 3:${blockLine.indexOf(block) + 1} ${block}`,
        `lob-api-key 2:${dottedLine.indexOf(dotted) + 1} ${dotted}`,
        `lob-api-key 1:${fishLine.indexOf(fish) + 1} ${fish}`,
      ].sort(),
    );
  });

  it('finds name-keyed tokens passed to a call with their name, or as the default after the name, at the value', async () => {
    const lob = (seed: number) => `live_${randomString(ALPHA.hex, 35, seed)}`;
    const getenv = lob(1141);
    const put = lob(1142);
    const fallback = lob(1143);
    const getenvLine = `key = os.getenv("LOB_API_KEY", "${getenv}")`;
    const putLine = `    config.put("LOB_API_KEY", "${put}");`;
    const fallbackLine = `const key = process.env.LOB_API_KEY ?? "${fallback}";`;
    const { list } = await findings({
      'app.py': ['import os', getenvLine, ''].join('\n'),
      'App.java': ['class App {', putLine, '}', ''].join('\n'),
      'app.js': [fallbackLine, ''].join('\n'),
    });
    expect(
      list.map((finding) => `${finding.ruleId} ${finding.line}:${finding.column} ${finding.secret}`).sort(),
    ).toEqual(
      [
        `lob-api-key 2:${getenvLine.indexOf(getenv) + 1} ${getenv}`,
        `lob-api-key 2:${putLine.indexOf(put) + 1} ${put}`,
        `lob-api-key 1:${fallbackLine.indexOf(fallback) + 1} ${fallback}`,
      ].sort(),
    );
  });
});
