// Secrets people choose, in the constructs real code holds them (issue 16, section 2), and private
// keys in the containers they end up in (section 3), for generate.mjs. Each file lists its lines
// with the rule expected there, or the kind of non-secret that must stay quiet.
import { prng, randomChars } from './synthetic.mjs';

const WORDS = [
  'harbor',
  'lantern',
  'otter',
  'granite',
  'maple',
  'falcon',
  'cobalt',
  'meadow',
  'quartz',
  'juniper',
  'tundra',
  'saffron',
  'willow',
  'ember',
  'pylon',
  'canyon',
];
const SYMBOLS = '!#%*-_.@^+';

/** A password a person might pick: words, digits and a symbol, or a generated-looking string. */
export function password(next) {
  const pick = (list) => list[Math.floor(next() * list.length)] ?? list[0];
  const capital = (word) => word.charAt(0).toUpperCase() + word.slice(1);
  const style = Math.floor(next() * 3);
  if (style === 0)
    return `${pick(WORDS)}${pick(SYMBOLS)}${capital(pick(WORDS))}${Math.floor(next() * 90 + 10)}`;
  if (style === 1)
    return `${capital(pick(WORDS))}${Math.floor(next() * 9000 + 1000)}${pick(SYMBOLS)}${pick(WORDS)}`;
  return (
    randomChars('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789', 14, next) +
    pick(SYMBOLS) +
    Math.floor(next() * 10)
  );
}

/** A 32-character API key with no provider prefix. */
const apiKey = (next) => randomChars('abcdefghijklmnopqrstuvwxyz0123456789', 32, next);

/**
 * The generic-construct files of one project: `{ path, lines: [text, label?][] }` where a label is
 * `{ rule }` for a secret or `{ negative }` for a value that must not be reported.
 */
export function constructFiles(seed) {
  const next = prng(seed);
  const pw = () => password(next);
  const key = () => apiKey(next);
  const P = (rule) => ({ rule });
  const N = (negative) => ({ negative });
  const files = [];
  const file = (path, lines) => files.push({ path, lines });

  file('scripts/provision.sh', [
    ['#!/usr/bin/env bash'],
    ['set -euo pipefail'],
    [`mysql -u root -p'${pw()}' -h db.internal app < schema.sql`, P('mysql-password-argument')],
    [`mysql --user=report --password=${pw()} analytics -e 'select 1'`, P('password-flag')],
    [`sshpass -p '${pw()}' ssh deploy@10.0.4.12 'systemctl restart app'`, P('password-flag')],
    [`curl -fsS -u admin:${pw()} https://jenkins.internal/job/nightly/build`, P('curl-credentials')],
    ['curl -fsS \\'],
    [`  -u deploy:${pw()} \\`, P('curl-credentials')],
    ['  -X POST https://nexus.internal/service/rest/v1/components'],
    [`psexec \\\\build-07 -u CORP\\svc_build -p ${pw()} cmd /c ipconfig`, P('password-flag')],
    [`docker login registry.internal --username ci --password ${pw()}`, P('password-flag')],
    [
      `pg_dump "postgresql://backup:${pw()}@db.internal:5432/orders" > orders.sql`,
      P('postgres-connection-string'),
    ],
    ['mysql -u root -p"$MYSQL_ROOT_PASSWORD" -h db.internal app', N('reference')],
    [
      'docker login registry.internal --username ci --password-stdin < "$REGISTRY_TOKEN_FILE"',
      N('reference'),
    ],
  ]);
  file('db/migrations/0001_roles.sql', [
    ['-- Roles for the reporting service'],
    [`CREATE USER reporting WITH PASSWORD '${pw()}';`, P('generic-password')],
    [`CREATE ROLE etl LOGIN PASSWORD '${pw()}';`, P('generic-password')],
    [`ALTER USER 'app'@'%' IDENTIFIED BY '${pw()}';`, P('generic-password')],
    [`CREATE LOGIN svc_web WITH PASSWORD = '${pw()}';`, P('generic-password')],
    ["GRANT SELECT ON analytics.* TO 'reporting'@'%';"],
    ["ALTER USER reporting WITH PASSWORD :'reporting_password';", N('reference')],
  ]);
  file('app/db.py', [
    ['import os'],
    [''],
    ['DB_PASSWORD = ('],
    [`    "${pw()}"`, P('generic-password')],
    [')'],
    [`SMTP_PASSWORD = os.getenv("SMTP_PASSWORD", "${pw()}")`, P('generic-password')],
    [`REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD", "${pw()}")`, P('generic-password')],
    [''],
    [''],
    ['def check(password):'],
    [`    if password == "${pw()}":`, P('generic-password')],
    ['        return True'],
    ['    return False'],
    [''],
    [`API_SECRET = """${key()}"""`, P('generic-secret')],
    ['PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]', N('setting')],
    ['DB_PASSWORD_FILE = os.environ["DB_PASSWORD_FILE"]', N('reference')],
    ["derived = hashlib.scrypt(raw, salt=b'salt', n=16384, r=8, p=1)", N('setting')],
  ]);
  file('src/db.ts', [
    ["import { Pool } from 'pg';"],
    [''],
    ['const dbPassword ='],
    [`  '${pw()}';`, P('generic-password')],
    [`const redisPassword = process.env.REDIS_PASSWORD || '${pw()}';`, P('generic-password')],
    [`const adminPassword: string = '${pw()}';`, P('generic-password')],
    [`export const apiSecret = \`${key()}\`;`, P('generic-secret')],
    ["const password = process.env.DB_PASSWORD ?? '';", N('reference')],
    ['const withCredentials = options.withCredentials;', N('setting')],
    ['export const pool = new Pool({ user: "app", password: dbPassword, host: "db" });', N('reference')],
  ]);
  file('config/database.yml', [
    ['production:'],
    ['  adapter: postgresql'],
    ['  username: app'],
    ['  password: |'],
    [`    ${pw()}`, P('generic-password')],
    ['replica:'],
    ['  password: >-'],
    [`    ${pw()}`, P('generic-password')],
    ['test:'],
    ['  password: <%= ENV["TEST_DB_PASSWORD"] %>', N('reference')],
    ['  exclude_user_password: false', N('setting')],
  ]);
  file('Dockerfile.worker', [
    ['FROM python:3.12-slim'],
    [`ENV DB_PASSWORD ${pw()}`, P('generic-password')],
    [`ARG PIP_INDEX_PASSWORD=${pw()}`, P('generic-password')],
    ['ARG NPM_TOKEN'],
    ['ENV APP_SECRET_FILE /run/secrets/app_secret', N('reference')],
    ['RUN pip install -r requirements.txt'],
  ]);
  file('scripts/Set-ServiceAccount.ps1', [
    ['param([string]$User = "svc_deploy")'],
    [`$secure = ConvertTo-SecureString "${pw()}" -AsPlainText -Force`, P('generic-password')],
    ['$cred = New-Object System.Management.Automation.PSCredential($User, $secure)'],
    ['$prompted = Read-Host -AsSecureString "Password"', N('reference')],
  ]);
  file('src/Legacy/Mailer.cs', [
    ['using System.Net;'],
    ['public class Mailer {'],
    [
      `    private readonly NetworkCredential _cred = new NetworkCredential("noreply@corp.example", "${pw()}");`,
      P('generic-password'),
    ],
    [
      `    private const string Db = "Server=sql01;Database=Mail;User Id=mailer;Password=${pw()};";`,
      P('mssql-connection-string'),
    ],
    [
      `    private const string Odbc = "Driver={ODBC Driver 18 for SQL Server};Server=sql02;Uid=etl;Pwd=${pw()};";`,
      P('mssql-connection-string'),
    ],
    [
      '    private const string Trusted = "Server=sql01;Database=Mail;Integrated Security=true;";',
      N('setting'),
    ],
    ['}'],
  ]);
  file('native/upload.c', [
    ['#include <curl/curl.h>'],
    ['void upload(CURL *curl) {'],
    [`  curl_easy_setopt(curl, CURLOPT_USERPWD, "uploader:${pw()}");`, P('generic-password')],
    [`  curl_easy_setopt(curl, CURLOPT_PASSWORD, "${pw()}");`, P('generic-password')],
    ['  curl_easy_setopt(curl, CURLOPT_PASSWORD, getenv("UPLOAD_PASSWORD"));', N('reference')],
    ['}'],
  ]);
  file('http/requests.http', [
    ['### Inventory'],
    ['GET https://inventory.internal/v2/items'],
    [`X-API-Key: ${key()}`, P('generic-secret')],
    [''],
    ['### Gitea'],
    ['GET https://git.internal/api/v1/user'],
    [`Authorization: token ${randomChars('0123456789abcdef', 40, next)}`, P('http-token-auth')],
    [''],
    ['### Legacy'],
    ['GET https://legacy.internal/api/orders'],
    [`X-Auth-Token: ${key()}`, P('generic-secret')],
    [`X-Acme-Token: ${key()}`, P('generic-secret')],
    [''],
    [`GET https://api.internal/v1/report?format=csv&api_key=${key()}`, P('generic-secret')],
    [`GET https://api.internal/v1/feed?access_token=${key()}&page=2`, P('generic-secret')],
    [`GET https://legacy.internal/login.cgi?user=ops&password=${pw()}`, P('generic-password')],
    ['GET https://api.internal/v1/feed?access_token={{token}}', N('reference')],
  ]);
  file('config/datasources.properties', [
    [
      `orders.url=jdbc:mysql://db.internal:3306/orders?user=orders&password=${pw()}&useSSL=true`,
      P('mysql-connection-string'),
    ],
    [`ftp.url=ftp://uploader:${pw()}@ftp.partner.example/inbox`, P('url-credentials')],
    [`mail.url=smtp://alerts%40corp.example:${pw()}@smtp.corp.example:587`, P('url-credentials')],
    [`queue.url=amqp://worker:${pw()}@mq.internal:5672/jobs`, P('amqp-connection-string')],
    [`cache.url=redis://:${pw()}@cache.internal:6379/0`, P('redis-connection-string')],
    [
      `events.url=mongodb+srv://events:${pw()}@cluster0.abcd1.mongodb.net/events`,
      P('mongodb-connection-string'),
    ],
    // keyfence:allow url-credentials anonymous FTP is the negative this line holds
    ['mirror.url=ftp://anonymous:anonymous@ftp.gnu.org/gnu/', N('anonymous FTP')],
    ['dev.url=postgres://postgres:postgres@localhost:5432/dev', N('placeholder')],
  ]);
  file('src/main/java/com/acme/LegacyClient.java', [
    ['package com.acme;'],
    ['class LegacyClient {'],
    [`    private String password = "${pw()}";`, P('generic-password')],
    [`    static final String pwd = "${pw()}";`, P('generic-password')],
    ['    private String password = System.getenv("LEGACY_PASSWORD");', N('reference')],
    ['}'],
  ]);
  file('lib/settings.rb', [
    [`SMTP_PASSWORD = ENV.fetch("SMTP_PASSWORD", "${pw()}")`, P('generic-password')],
    [`config.pw = "${pw()}"`, P('generic-password')],
    [`config.passwd = "${pw()}"`, P('generic-password')],
    [`config.pass = "${pw()}"`, P('generic-password')],
    [`config.smtp_auth = "${pw()}"`, P('generic-password')],
    [`config.authorization = "${key()}"`, P('generic-secret')],
    ['config.authenticity_token = form_authenticity_token', N('setting')],
  ]);
  file('deploy/.env.production', [
    [`DB_PASSWORD='$${pw()}'`, P('generic-password')],
    [`ADMIN_PASSWORD="{${pw()}}"`, P('generic-password')],
    [`LDAP_BIND_PW=${pw()}`, P('generic-password')],
    [`ELASTIC_PASS=${pw()}`, P('generic-password')],
    [`INTERNAL_API_SECRET=${key()}`, P('generic-secret')],
    ['ADMIN_PASSWORD=${ADMIN_PASSWORD:?set me}', N('reference')],
    ['CSRF_TOKEN_NAME=csrftoken', N('setting')],
  ]);
  file('notebooks/etl.ipynb', [
    ['{'],
    [' "cells": [{'],
    ['   "cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [],'],
    ['   "source": ['],
    ['    "import psycopg2\\n",'],
    [`    "password = \\"${pw()}\\"\\n",`, P('generic-password')],
    [`    "api_secret = \\"${key()}\\"\\n",`, P('generic-secret')],
    ['    "conn = psycopg2.connect(host=\\"db\\", user=\\"etl\\", password=password)"'],
    ['   ]'],
    [' }],'],
    [' "metadata": {}, "nbformat": 4, "nbformat_minor": 5'],
    ['}'],
  ]);
  return files;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const lines64 = (text) => text.match(/.{1,64}/g) ?? [];

/** Body lines of a key: `magic` bytes first, then random bytes, as 64-column base64. */
function body(bytes, next, magic = Buffer.alloc(0)) {
  const raw = Buffer.from(Array.from({ length: bytes }, () => Math.floor(next() * 256)));
  return lines64(Buffer.concat([magic, raw]).toString('base64'));
}

const armour = (label, lines) => [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`];

/** Private keys in containers: `{ path, text, line, rule }` with the BEGIN line (or the key's line). */
export function keyFiles(seed) {
  const next = prng(seed);
  const files = [];
  const add = (path, lines, rule, marker = '-----BEGIN') => {
    const line = lines.findIndex((text) => text.includes(marker)) + 1;
    files.push({ path, text: lines.join('\n') + '\n', line, rule });
  };
  const rsa = () =>
    armour('RSA PRIVATE KEY', body(1190, next, Buffer.from('308204a40201000282010100', 'hex')));
  const pkcs8 = () =>
    armour(
      'PRIVATE KEY',
      body(1210, next, Buffer.from('308204bd020100300d06092a864886f70d0101010500', 'hex')),
    );
  const ec = () => armour('EC PRIVATE KEY', body(121, next, Buffer.from('30770201010420', 'hex')));
  const openssh = () =>
    armour('OPENSSH PRIVATE KEY', body(380, next, Buffer.from('openssh-key-v1\0', 'latin1')));

  add('deploy/id_ed25519', openssh(), 'private-key-openssh');
  add('certs/server.key', pkcs8(), 'private-key-pkcs8');
  add('certs/legacy.pem', rsa(), 'private-key-rsa');
  add('certs/ec.key', ec(), 'private-key-ec');
  add(
    'config/tls.yaml',
    ['tls:', '  cert: /etc/tls/tls.crt', '  key: |', ...rsa().map((l) => `    ${l}`)],
    'private-key-rsa',
  );
  add(
    'config/service-account.json',
    [
      '{',
      '  "type": "service_account",',
      `  "private_key": "${pkcs8().join('\\n')}\\n",`,
      '  "client_email": "ci@proj.iam.gserviceaccount.com"',
      '}',
    ],
    'gcp-service-account-key',
  );
  add(
    'scripts/sign.sh',
    [
      '#!/bin/sh',
      '# old signing key, kept for reference',
      ...rsa().map((l) => `# ${l}`),
      'openssl dgst -sha256 -sign key.pem "$1"',
    ],
    'private-key-rsa',
  );
  add(
    'src/crypto/keys.go',
    ['package crypto', '', ...pkcs8().map((l) => `// ${l}`), 'func Load() {}'],
    'private-key-pkcs8',
  );
  add(
    'src/crypto/Keys.java',
    ['/**', ...ec().map((l) => ` * ${l}`), ' */', 'final class Keys {}'],
    'private-key-ec',
  );
  const lines = pkcs8();
  add(
    'src/crypto/key.js',
    [
      'const key =',
      ...lines.map((l, i) => `  "${l}\\n"${i < lines.length - 1 ? ' +' : ';'}`),
      'module.exports = { key };',
    ],
    'private-key-pkcs8',
  );
  add('src/crypto/key.py', ['KEY = (', ...rsa().map((l) => `    '${l}\\n'`), ')'], 'private-key-rsa');
  add(
    'logs/deploy-2025-03-14.log',
    [
      '2025-03-14T09:26:01Z INFO starting deploy',
      ...openssh().map(
        (l, i) =>
          `2025-03-14T09:26:${String(10 + i).padStart(2, '0')}Z DEBUG ${i === 0 ? 'ssh key: ' : ''}${l}`,
      ),
      '2025-03-14T09:27:00Z INFO done',
    ],
    'private-key-openssh',
  );
  add('config/.env.keys', [`SIGNING_KEY="${pkcs8().join('\\n')}"`], 'private-key-pkcs8');
  add(
    'k8s/tls-secret.yaml',
    [
      'apiVersion: v1',
      'kind: Secret',
      'type: kubernetes.io/tls',
      'data:',
      `  tls.crt: ${Buffer.from(armour('CERTIFICATE', body(600, next)).join('\n')).toString('base64')}`,
      `  tls.key: ${Buffer.from(rsa().join('\n')).toString('base64')}`,
    ],
    'private-key-rsa',
    'tls.key',
  );
  add(
    'certs/ed448.pem',
    armour('PRIVATE KEY', body(57, next, Buffer.from('3047020100300506032b6571043b0439', 'hex'))),
    'private-key-pkcs8',
  );
  add(
    'src/jwks.json',
    [
      '{"keys": [{',
      '  "kty": "RSA", "kid": "2025-03", "use": "sig", "e": "AQAB",',
      `  "n": "${randomChars(B64.replace('+/', '-_'), 342, next)}",`,
      `  "d": "${randomChars(B64.replace('+/', '-_'), 342, next)}"`,
      '}]}',
    ],
    'jwk-private-key',
    '"d"',
  );
  const dsa = () => armour('DSA PRIVATE KEY', body(440, next, Buffer.from('308201bb02010002818100', 'hex')));
  const encrypted = () =>
    armour(
      'ENCRYPTED PRIVATE KEY',
      body(1250, next, Buffer.from('308204e0301a06092a864886f70d01050d', 'hex')),
    );
  add(
    'keys/release-signing.asc',
    [
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      'Comment: release signing key',
      '',
      ...body(700, next),
      `=${randomChars(B64, 4, next)}`,
      '-----END PGP PRIVATE KEY BLOCK-----',
    ],
    'private-key-pgp',
  );
  add('certs/client.key', encrypted(), 'private-key-pkcs8-encrypted');
  add('certs/legacy-dsa.pem', dsa(), 'private-key-dsa');
  const ppk = [
    'PuTTY-User-Key-File-3: ssh-ed25519',
    'Encryption: none',
    'Comment: ops@jump',
    'Public-Lines: 2',
    `AAAAC3NzaC1lZDI1NTE5AAAAI${randomChars(B64, 39, next)}`,
    randomChars(B64, 12, next),
    'Private-Lines: 1',
    randomChars(B64, 44, next),
    `Private-MAC: ${randomChars('0123456789abcdef', 64, next)}`,
  ];
  files.push({ path: 'tools/jump.ppk', text: ppk.join('\r\n') + '\r\n', line: 1, rule: 'private-key-putty' });
  add(
    'src/Auth/SigningKey.cs',
    [
      'namespace Auth;',
      'static class SigningKey {',
      `    public const string Pem = @"${pkcs8().join('\n')}";`,
      '}',
    ],
    'private-key-pkcs8',
  );
  const php = rsa();
  add(
    'config/jwt.php',
    [
      '<?php',
      `$key = "${php[0]}\\n" .`,
      ...php.slice(1).map((l, i) => `  "${l}\\n"${i < php.length - 2 ? ' .' : ';'}`),
    ],
    'private-key-rsa',
  );
  add(
    'logs/syslog',
    [
      'Mar 14 09:26:01 web-1 app[4121]: loading key',
      ...ec().map((l, i) => `Mar 14 09:26:${String(10 + i).padStart(2, '0')} web-1 app[4121]: ${l}`),
    ],
    'private-key-ec',
  );
  add(
    'db/seed.sql',
    [
      '-- service key for the staging tenant',
      ...openssh().map((l) => `-- ${l}`),
      "INSERT INTO tenants (name) VALUES ('staging');",
    ],
    'private-key-openssh',
  );
  add(
    'docs/incident-2025-03.md',
    [
      '# Incident 2025-03',
      '',
      'The key that was pasted in the channel:',
      '',
      ...pkcs8().map((l) => `> ${l}`),
      '',
      'It has been rotated.',
    ],
    'private-key-pkcs8',
  );
  add(
    '.env.signing',
    [
      '# base64 so it fits on one line',
      `SIGNING_KEY_B64=${Buffer.from(pkcs8().join('\n') + '\n').toString('base64')}`,
    ],
    'private-key-pkcs8',
    'SIGNING_KEY_B64',
  );
  files.push({
    path: 'windows/deploy.pem',
    text: rsa().join('\r\n') + '\r\n',
    line: 1,
    rule: 'private-key-rsa',
  });
  add(
    'config/legacy.ini',
    ['[signing]', 'algorithm = RS256', ...rsa().map((l) => `;${l}`)],
    'private-key-rsa',
  );
  // Public material beside them: none of these is a finding.
  const pub = armour('PUBLIC KEY', body(294, next));
  files.push({ path: 'certs/server.pub', text: pub.join('\n') + '\n', line: 1, negative: 'public key' });
  files.push({
    path: 'src/jwks.public.json',
    text: `{"keys": [{"kty": "EC", "crv": "P-256", "x": "${randomChars(B64.replace('+/', '-_'), 43, next)}", "y": "${randomChars(B64.replace('+/', '-_'), 43, next)}"}]}\n`,
    line: 1,
    negative: 'public key',
  });
  files.push({
    path: 'docs/tls.md',
    text: [
      '# TLS',
      '',
      'Put your key in `tls.key`:',
      '',
      '```',
      '-----BEGIN PRIVATE KEY-----',
      '<your private key here>',
      '-----END PRIVATE KEY-----',
      '```',
      '',
    ].join('\n'),
    line: 6,
    negative: 'placeholder',
  });
  const crt = armour('CERTIFICATE', body(700, next));
  files.push({
    path: 'config/ca.yaml',
    text: ['trust:', '  ca: |', ...crt.map((l) => `    ${l}`), ''].join('\n'),
    line: 3,
    negative: 'certificate',
  });
  files.push({
    path: 'certs/rsa.pub',
    text: armour('RSA PUBLIC KEY', body(270, next)).join('\n') + '\n',
    line: 1,
    negative: 'public key',
  });
  return files;
}
