import { describe, expect, it } from 'vitest';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { ALPHA, awsAccessKeyId, awsSecretKey, randomString, stripeKey } from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();

/** The rule ids and secrets a scan of `content` at `path` reports. */
const found = (content: string, path = 'config/.env') =>
  scanText(ruleSet, content, path).map((finding) => [finding.ruleId, finding.secret]);

describe('placeholder words', () => {
  it.each([
    ['qk7', 'ToDo9Lx2mWv4R'],
    ['mRto', 'doz83KqL1pXa'],
    ['ZtOD', 'OV#^2124dFZw'],
    ['qk7', 'Test9Lx2mWv4R'],
    ['qk7', 'FixMe9Lx2mWv4R'],
    ['Con', 'test2024!'],
  ])('reports a password that holds a placeholder word inside random text: %s%s', (head, tail) => {
    const password = head + tail;
    expect(found(`DB_PASSWORD=${password}\n`)).toEqual([['generic-password', password]]);
  });

  it.each([
    'TODO',
    'todo_change_me',
    'your-test-key',
    'sampleToken',
    '<todo>',
    'test123',
    'FIXME-later',
    'mock.value',
  ])('drops a placeholder word that stands as a word of the value: %s', (value) => {
    expect(found(`DB_PASSWORD=${value}\n`)).toEqual([]);
  });
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('placeholders in base64', () => {
  it('drops Kubernetes Secret data and docker config auth that decode to placeholders', () => {
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'data:',
      `  password: ${b64('changeme')}`,
      `  apiToken: ${b64('<api-token>')}`,
      `  DB_PASSWORD: ${b64('CHANGEME')}`,
      '',
    ].join('\n');
    expect(found(manifest, 'k8s/secret.yaml')).toEqual([]);
    const config = `{"auths": {"registry.acme.io": {"auth": "${b64('username:password')}"}}}\n`;
    expect(found(config, 'docs/docker-config.example.json')).toEqual([]);
  });

  it('still reports base64 that decodes to a password', () => {
    const value = 'eSgjSA##' + '1569fRst';
    expect(found(`data:\n  DB_PASSWORD: ${b64(value)}\n`, 'k8s/secret.yaml')).toEqual([
      ['generic-password', value],
    ]);
    const auth = b64('deploy:' + 's7qYU4kUgSliqrUm4akd');
    expect(found(`{"auths": {"ghcr.io": {"auth": "${auth}"}}}\n`, '.docker/config.json')).toEqual([
      ['docker-config-auth', auth],
    ]);
  });
});

describe('references and placeholders in other rules', () => {
  it('drops a placeholder password in .pgpass', () => {
    expect(found('localhost:5432:app:app:changeme\n', '.pgpass')).toEqual([]);
    expect(found('localhost:5432:app:app:' + 'cEE7vqiGR8bG\n', '.pgpass')).toEqual([
      ['pgpass-password', 'cEE7vqiGR8bG'],
    ]);
  });

  it('drops PowerShell environment references', () => {
    expect(found('$token = $env:GH_TOKEN\r\n$apiKey = $Env:API_KEY\r\n', 'scripts/deploy.ps1')).toEqual([]);
  });
});

describe('documented public values', () => {
  it("drops the Azurite emulator's well-known account key, and keeps other account keys", () => {
    const azurite =
      'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6' + 'IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
    const line = (key: string) =>
      `AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;\n`;
    expect(found(line(azurite))).toEqual([]);
    expect(found(`const accountKey = "${azurite}";\n`, 'src/storage.ts')).toEqual([]);
    const other =
      'Swx/t+akr9gB4XetjurnXVNNHhzHvaIT7TMhogy6' + '/mlsP+GpYLGSqOzV9FHdm0LFseTLmXBP1imUR2FO9KJpiE==';
    expect(found(line(other))).toEqual([['azure-storage-account-key', other]]);
  });
});

describe('configs inside base64', () => {
  it('reports every secret of a whole .env in a Secret data field, at the encoded span', () => {
    const value = 'eSgjSA##' + '1569fRst';
    const stripe = stripeKey('sk_live', 81);
    const env = `DB_PASSWORD=${value}\nSENTRY_DSN=https://abc@o1.ingest.sentry.io/1\nSTRIPE_SECRET_KEY=${stripe}\n`;
    const manifest = `apiVersion: v1\nkind: Secret\ndata:\n  .env: ${b64(env)}\n`;
    const findings = scanText(ruleSet, manifest, 'k8s/app-env.yaml');
    expect(findings.map((finding) => [finding.ruleId, finding.secret, finding.line, finding.column])).toEqual(
      [
        ['generic-password', value, 4, 9],
        ['stripe-secret-key', stripe, 4, 9],
      ],
    );
  });

  it('reports the secret key of a base64 .aws/credentials paired with its key id', () => {
    const id = awsAccessKeyId(82);
    const secret = awsSecretKey(83);
    const credentials = `[default]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n`;
    const json = `{\n  "path": "/root/.aws/credentials",\n  "content": "${b64(credentials)}"\n}\n`;
    const findings = scanText(ruleSet, json, 'deploy/bootstrap.json');
    expect(findings.map((finding) => [finding.ruleId, finding.secret, finding.pairedWith?.secret])).toEqual([
      ['aws-secret-access-key', secret, id],
    ]);
  });
});

describe('values of letters only', () => {
  it('reports 24 or more random mixed-case letters under a secret name', () => {
    const token = 'gGyzpRGDnnmiMIgS' + 'MoKGqGze';
    expect(found(`const apiToken = "${token}";\n`, 'src/client.ts')).toEqual([['generic-secret', token]]);
    expect(found(`API_TOKEN=${token}\n`)).toEqual([['generic-secret', token]]);
  });

  it('drops words and names of letters only', () => {
    expect(found('const apiToken = "InterpolationInJSXElement";\n', 'src/client.ts')).toEqual([]);
    expect(found('API_TOKEN=abcdefghijklmnopqrstuvwxyz\n')).toEqual([]);
    expect(found('const secretKey = "XMLHttpRequestEventTarget";\n', 'src/client.ts')).toEqual([]);
  });
});

describe('names and code in vendored libraries of other languages', () => {
  it('drops class names, object paths and scoped calls joined by backslashes or ::', () => {
    const php = [
      '<?php',
      'return [',
      "    'AUTH' => 'Predis\\Command\\ConnectionAuth',",
      "    'auth' => '\\App\\Http\\Middleware\\Authenticate',",
      "    'token' => 'Aws\\S3\\S3Client',",
      '];',
      '',
    ].join('\n');
    expect(found(php, 'src/Profile/RedisVersion320.php')).toEqual([]);
    const escaped = ['Acme', 'Auth', 'ApiKeyGuard'].join('\\\\');
    expect(found(`$guards = ["token" => "${escaped}"];\n`, 'config/auth.php')).toEqual([]);
    expect(found('if token[0] != `\\Device\\NamedPipe\\msys` {\n', 'isatty_windows.go')).toEqual([]);
    expect(
      found('compute.authorization = Google::Auth.get_application_default(scopes)\n', 'docs/oauth.md'),
    ).toEqual([]);
  });

  it('still reports a password with backslashes and a key written as byte escapes', () => {
    const password = 'Kx9' + '\\mQ2v\\Lp7wZ';
    expect(found(`<?php\n$password = '${password}';\n`, 'config/db.php')).toEqual([
      ['generic-password', password],
    ]);
    const bytes = '\\x9b\\xbe\\x43\\x6b\\xa9\\x40\\xf0\\x17' + '\\xb1\\x76\\x52\\x84\\x9a\\x71\\xdb\\x35';
    expect(found(`let secret = b"${bytes}";\n`, 'src/prf.rs')).toEqual([['generic-secret', bytes]]);
  });

  it("drops a CPAN module's $AUTHORITY, and still reports a value under AUTH", () => {
    expect(found("package Acme::Widget;\nour $AUTHORITY = 'cpan:TOBYINK';\n", 'lib/Acme/Widget.pm')).toEqual(
      [],
    );
    const token = 'hbyz' + '21HLfN8Vxb3ffC0WPXeCj2';
    expect(found(`AUTH=${token}\n`)).toEqual([['generic-secret', token]]);
  });

  it('drops type checks, fixed protocol values, addresses and object identifiers', () => {
    const js = [
      "if (typeof password === 'object') return merge(password);",
      "const options = { authMechanism: 'MONGODB-X509' };",
      '',
    ].join('\n');
    expect(found(js, 'lib/db.js')).toEqual([]);
    expect(found('if uri.password == "x-oauth-basic"\n', 'lib/uri.rb')).toEqual([]);
    const rust = [
      'const SOCKS_PROXY_PASSWD_ONLY: &str = "127.0.0.1:1081";',
      'pub const szOID_RSA_challengePwd: &str = "1.2.840.113549.1.9.7";',
      '',
    ].join('\n');
    expect(found(rust, 'src/consts.rs')).toEqual([]);
  });

  it('drops enum constants, header names and Rails routes', () => {
    const go = [
      'const FindingTypeSensitiveDataS3objectCredentials = "SensitiveData:S3Object/Credentials"',
      'const tokenRequestTTLHeader = "X-aws-ec2-metadata-token-ttl-seconds"',
      '',
    ].join('\n');
    expect(found(go, 'service/macie2/api.go')).toEqual([]);
    const routes =
      'put "/disk/:encoded_token" => "active_storage/disk#update"\nget "/auth/:token" => "sessions#create"\n';
    expect(found(routes, 'config/routes.rb')).toEqual([]);
  });

  it('drops concatenations cut at their quotes and test values that name themselves', () => {
    const go = [
      's = append(s, "Token: "+fmt.Sprintf("%#v", this.Token)+",\\n")',
      'q.Set("X-Amz-Credential", ctx.credValues.AccessKeyID+"/"+ctx.scope)',
      'expectedToken := "server-valid-token-1"',
      'wantAccessToken := "' + Buffer.from('this is not a real value').toString('base64') + '"',
      '',
    ].join('\n');
    expect(found(go, 'auth_test.go')).toEqual([]);
    expect(found('$line = \'APP_SECRET=\'.base64_encode($data)."\\n";\n', 'src/Vault.php')).toEqual([]);
    expect(
      found('WITH_INDIFFERENT_ACCESS_KEY = "_aj_hash_with_indifferent_access"\n', 'lib/arguments.rb'),
    ).toEqual([]);
  });

  it('still reports a random token between words and a number', () => {
    const token = 'prod-' + 'Xq7mK2vL9pRt-1';
    expect(found(`expectedToken := "${token}"\n`, 'auth.go')).toEqual([['generic-secret', token]]);
  });
});

describe('names in Python projects', () => {
  it("drops Django migrations' dependencies and entry points", () => {
    const migration = [
      'class Migration(migrations.Migration):',
      '    dependencies = [',
      "        ('auth', '0012_alter_user_first_name_max_length'),",
      '    ]',
      '',
    ].join('\n');
    expect(found(migration, 'accounts/migrations/0002_profile.py')).toEqual([]);
    const entryPoints = '[acme.auth.plugins]\nv3token = acme_auth.plugins.identity.v3:Token\n';
    expect(found(entryPoints, 'acme_auth.egg-info/entry_points.txt')).toEqual([]);
    expect(found(entryPoints, 'setup.cfg')).toEqual([]);
  });

  it('still reports a token of digits and words that is no migration name', () => {
    const token = '0012_' + 'Xq7mK2vL9pRtW4n';
    expect(found(`AUTH_TOKEN = "${token}"\n`, 'settings.py')).toEqual([['generic-secret', token]]);
  });
});

describe('test harness output', () => {
  it('passes over the result lines of a DejaGnu or Automake summary, and still finds a PASS setting', () => {
    // Written as the harness writes them; assembled here so that no line of this file is one.
    const passed = (test: string) => `PASS: ${test}`;
    const summary = [
      '=== binutils Summary ===',
      passed('addr2line'),
      passed('addr2line -f option'),
      `X${passed('objcopy --only-keep-debug for ELF relocatables')}`,
      'FAIL: strip --strip-unneeded test 2',
      '# of expected passes\t\t296',
    ].join('\n');
    expect(found(summary, 'doc/test-summary-amd64')).toEqual([]);
    const password = randomString(ALPHA.alnum, 14, 90);
    expect(
      found(`services:\n  ftp:\n    environment:\n      PASS: ${password}\n`, 'docker-compose.yml'),
    ).toEqual([['generic-password', password]]);
  });
});

describe('decimal numbers', () => {
  it.each(['0.2585919282174563', '-3.14159265358979e-7', '12345.678901234'])(
    'drops a decimal number under a secret-like name: %s',
    (value) => {
      expect(found(`token = ${value}\n`, 'src/model.py')).toEqual([]);
      expect(found(`API_SECRET=${value}\n`)).toEqual([]);
    },
  );

  it('still reports a password of digits and dots that is no number', () => {
    const password = `${randomString(ALPHA.digits, 6, 41)}.${randomString(ALPHA.digits, 5, 42)}.${randomString(ALPHA.digits, 4, 43)}`;
    expect(found(`DB_PASSWORD=${password}\n`)).toEqual([['generic-password', password]]);
  });
});

describe('placeholders repeated to the length of a token', () => {
  it.each([
    'abc123abc123abc123abc1',
    'yourapikeyhere123yourapikeyhere123your',
    'cu_yourapikeyhere123yourapikeyhere123y',
    'GOOGyourapikeyhere123yourapikeyhere123yourap',
    'deadbeefdeadbeefdeadbeefd',
  ])('drops a unit repeated and cut to length, after a short prefix or none: %s', (value) => {
    expect(found(`API_SECRET=${value}\n`)).toEqual([]);
  });

  it('still reports a random value whose last characters happen to repeat its first', () => {
    const head = randomString(ALPHA.alnum, 20, 51);
    // Period 20 over 26 characters: seen less than twice.
    const value = head + head.slice(0, 6);
    expect(found(`API_SECRET=${value}\n`)).toEqual([['generic-secret', value]]);
  });
});
