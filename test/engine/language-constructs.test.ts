import { describe, expect, it } from 'vitest';
import {
  builtinRuleSet,
  missedConstructs,
  noisyLookAlikes,
  type ConstructCase,
  type LookAlikeCase,
} from '../helpers/catalogue.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

// A blind probe of generic secrets in the constructs of 33 languages found these missed, cut or
// wrongly reported (and a rerun of its generator, the base64 key and the long dotted names); each
// case is one in-process scan.
const ruleSet = await builtinRuleSet();
const KEY = randomString(ALPHA.alnum, 32, 1401);
const HEX = randomString(ALPHA.hex, 64, 1402);
/** A password a person made up: a word, digits, a symbol, more letters. */
const PASSWORD = `Harbor${randomString(ALPHA.digits, 4, 1403)}!${randomString(ALPHA.alnum, 6, 1404)}`;
/** Another, with a symbol URLs encode (`%`). */
const PERCENT_PASSWORD = `Br4mbl3%${randomString(ALPHA.digits, 3, 1406)}granite`;

/** [construct, path, content, rule, secret] */
const POSITIVES: ConstructCase[] = [
  [
    'an Erlang sys.config\'s {name, "value"} tuple',
    'config/sys.config',
    `[\n {shop, [\n   {db_user, "shop"},\n   {db_password, "${PASSWORD}"}\n ]}\n].\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'an Erlang tuple holding a binary, {name, <<"value">>}',
    'config/prod.config',
    `[{shop, [{api_secret, <<"${KEY}">>}]}].\n`,
    'generic-secret',
    KEY,
  ],
  [
    'an Erlang macro, -define(NAME, "value")',
    'src/shop_auth.erl',
    `-module(shop_auth).\n-define(API_SECRET, "${KEY}").\n`,
    'generic-secret',
    KEY,
  ],
  [
    'an Erlang macro holding a binary',
    'include/keys.hrl',
    `-define(SIGNING_KEY, <<"${HEX}">>).\n`,
    'generic-secret',
    HEX,
  ],
  [
    "Rust's env::var with a default, unwrap_or",
    'src/env.rs',
    `pub fn token() -> String {\n    env::var("SERVICE_TOKEN").unwrap_or("${KEY}".to_string())\n}\n`,
    'generic-secret',
    KEY,
  ],
  [
    "Rust's env::var with a default, unwrap_or_else and a closure",
    'src/env.rs',
    `let secret = env::var("APP_SECRET").unwrap_or_else(|_| "${KEY}".into());\n`,
    'generic-secret',
    KEY,
  ],
  [
    'a Rust byte string typed as a slice of bytes',
    'src/keys.rs',
    `pub static SIGNING_KEY: &[u8] = b"${KEY}";\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a Rust byte array's type with its length",
    'src/keys.rs',
    `const AUTH_TOKEN: [u8; 32] = *b"${KEY}";\n`,
    'generic-secret',
    KEY,
  ],
  [
    "Julia's get(ENV, name, default)",
    'src/Settings.jl',
    `secret() = get(ENV, "APP_SECRET", "${KEY}")\n`,
    'generic-secret',
    KEY,
  ],
  [
    'an Objective-C string in a #define',
    'Sources/ACMEConstants.m',
    `#import "ACMEConstants.h"\n#define API_SECRET @"${KEY}"\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a C# auto-property's initializer",
    'src/Acme.Api/Settings.cs',
    `public class OAuthSettings\n{\n    public string ClientSecret { get; set; } = "${KEY}";\n}\n`,
    'oauth-client-secret',
    KEY,
  ],
  [
    "a C# init-only property's initializer",
    'src/Acme.Api/Settings.cs',
    `public string ApiToken { get; private init; } = "${KEY}";\n`,
    'generic-secret',
    KEY,
  ],
  [
    'an HMAC key as Go bytes',
    'internal/crypto/keys.go',
    `var (\n\thmacKey = []byte("${KEY}")\n)\n`,
    'generic-secret',
    KEY,
  ],
  [
    "a camelCase name ending in Pass (Go's dbPass)",
    'internal/store/db.go',
    `const dbPass = "${PASSWORD}"\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    "Qt's QStringLiteral around the value",
    'src/db.cpp',
    `static const QString kPassword = QStringLiteral("${PASSWORD}");\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'a wide string literal (L"…")',
    'src/service.cpp',
    `const wchar_t *password = L"${PASSWORD}";\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'a YAML value holding `=`, whole (no type annotation `name: Type=`)',
    'config/credentials.yml',
    `smtp:\n  password: Copper=${randomString(ALPHA.digits, 4, 1405)}amber\n`,
    'generic-password',
    `Copper=${randomString(ALPHA.digits, 4, 1405)}amber`,
  ],
  [
    "Go's smtp.PlainAuth, its arguments on lines of their own",
    'internal/mail/smtp.go',
    `var auth = smtp.PlainAuth(\n\t"",\n\t"notifications@acme.io",\n\t"${PASSWORD}",\n\t"smtp.acme.io",\n)\n`,
    'password-argument',
    PASSWORD,
  ],
  [
    "libmysqlclient's mysql_real_connect",
    'src/db.c',
    `MYSQL *c = mysql_real_connect(conn, "db.internal", "root", "${PASSWORD}", "shop", 3306, NULL, 0);\n`,
    'password-argument',
    PASSWORD,
  ],
  [
    'a comment that discloses a password in Python',
    'tests/test_login.py',
    `def test_login(client):\n    # prod password: ${PERCENT_PASSWORD}\n    assert client.login()\n`,
    'generic-password',
    PERCENT_PASSWORD,
  ],
  [
    'a comment that discloses a token in a Java block comment',
    'src/main/java/dev/acme/Sync.java',
    `/**\n * Staging token: ${KEY}#1\n */\nclass Sync {}\n`,
    'generic-secret',
    `${KEY}#1`,
  ],
  [
    "a requests Session's auth tuple",
    'app/clients.py',
    `session = requests.Session()\nsession.auth = ("api", "${PASSWORD}")\n`,
    'python-requests-auth',
    PASSWORD,
  ],
  [
    "aiohttp's BasicAuth",
    'app/clients.py',
    `auth = aiohttp.BasicAuth("svc", "${PASSWORD}")\n`,
    'python-requests-auth',
    PASSWORD,
  ],
  [
    'base64 of a key that starts with a slash',
    'internal/crypto/keys.go',
    `var hmacKey = []byte("/${randomString(ALPHA.base64, 42, 1407)}=")\n`,
    'generic-secret',
    `/${randomString(ALPHA.base64, 42, 1407)}=`,
  ],
  [
    'a NixOS option whose name puts the word past 40 characters',
    'hosts/web/configuration.nix',
    `{\n  services.grafana.settings.security.admin_password = "${PASSWORD}";\n}\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'a long dotted HOCON setting',
    'src/main/resources/application.conf',
    `akka.persistence.cassandra.authentication.password = "${PASSWORD}"\n`,
    'generic-password',
    PASSWORD,
  ],
  [
    'a long Java property',
    'src/main/resources/application.properties',
    `spring.datasource.hikari.data-source-properties.password=${PASSWORD}\n`,
    'generic-password',
    PASSWORD,
  ],
];

/** [look-alike, path, content] that must yield nothing. */
const NEGATIVES: LookAlikeCase[] = [
  [
    'hashes named by their algorithm',
    'app/auth.py',
    `PASSWORD_SHA256 = "${HEX}"\npasswordMd5 = "${HEX.slice(0, 32)}"\napi_secret_sha1 = "${HEX.slice(0, 40)}"\n`,
  ],
  [
    "Laravel's validation rules under a password field",
    'app/Http/Requests/RegisterRequest.php',
    "<?php\nreturn [\n    'password' => 'required|string|min:12|confirmed',\n    'password_confirmation' => 'nullable|string|between:8,64',\n];\n",
  ],
  [
    'Erlang settings read from the environment, empty, or a placeholder',
    'config/sys.config',
    '[{shop, [\n  {db_password, {env, "DB_PASSWORD"}},\n  {api_secret, ""},\n  {password, "changeme"}\n]}].\n',
  ],
  [
    'Rust defaults that are empty, a placeholder or a call',
    'src/env.rs',
    'let a = env::var("API_TOKEN").unwrap_or_default();\nlet b = env::var("APP_SECRET").unwrap_or("changeme".to_string());\nlet c = env::var("DB_PASSWORD").unwrap_or_else(|_| read_secret());\n',
  ],
  [
    'C# properties with empty or read defaults',
    'src/Acme.Api/Options.cs',
    'public string Password { get; set; } = string.Empty;\npublic string ClientSecret { get; init; } = "";\npublic string ApiToken { get; set; } = Environment.GetEnvironmentVariable("API_TOKEN");\n',
  ],
  [
    'smtp.PlainAuth and mysql_real_connect given variables',
    'internal/mail/smtp.go',
    'auth := smtp.PlainAuth("", cfg.User, os.Getenv("SMTP_PASSWORD"), cfg.Host)\nmysql_real_connect(conn, host, user, passwd, db, 0, NULL, 0);\n',
  ],
  [
    'render passes named ...Pass',
    'src/render.ts',
    'const shadowPass = "shadowMapPass";\nconst firstPass = true;\n',
  ],
  [
    'commented-out code and prose in comments',
    'app/settings.py',
    '# password = get_password(user)\n# token: self.token\n# password: required for login\n# api_key=$API_KEY\n# secret: see vault, path secret/app\n# password = os.environ["DB_PASSWORD"]\n',
  ],
  [
    'a Session auth tuple of variables',
    'app/clients.py',
    'self.session.auth = (self.user, self.password)\nauth = aiohttp.BasicAuth(login, password)\n',
  ],
  [
    'paths under secret names',
    'config/app.py',
    'API_TOKEN = "/run/secrets/api_token"\nSIGNING_KEY = "/etc/acme/keys/signing"\nauth_token = "/var/lib/acme/tokens/ci+deploy"\n',
  ],
  [
    'long dotted names holding references or names',
    'hosts/web/configuration.nix',
    '{\n  services.grafana.settings.security.admin_password = "$__file{/run/secrets/grafana}";\n  services.nextcloud.config.objectstore.s3.secretFile = "/run/secrets/s3";\n  services.grafana.settings.security.secret_key = config.age.secrets.grafana.path;\n}\n',
  ],
];

describe('generic secrets in the constructs of many languages', () => {
  it('finds a secret in each construct', () => {
    expect(missedConstructs(ruleSet, POSITIVES)).toEqual([]);
  });

  it('stays quiet on their look-alikes', () => {
    expect(noisyLookAlikes(ruleSet, NEGATIVES)).toEqual([]);
  });
});
