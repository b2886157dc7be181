import { describe, expect, it } from 'vitest';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();
const KEY = randomString(ALPHA.alnum, 32, 501);
const PASSWORD = `Pq7${randomString(ALPHA.alnum, 9, 502)}!x`;
const HEX64 = randomString(ALPHA.hex, 64, 505);
/** A password that reads like a GraphQL type reference (`Name!`): a value outside .graphql files. */
const TYPE_SHAPED = `Tr0ub${randomString(ALPHA.alnum, 6, 508)}!`;

/** [language, path, content, rule, secret] */
const POSITIVES: [string, string, string, string, string][] = [
  ['JavaScript', 'src/config.js', `const apiKey = "${KEY}";`, 'generic-secret', KEY],
  [
    'TypeScript',
    'src/client.ts',
    `export const client = new Api({ apiSecret: '${KEY}' });`,
    'generic-secret',
    KEY,
  ],
  ['Python', 'app/settings.py', `SECRET_KEY = '${KEY}'`, 'generic-secret', KEY],
  [
    'Python kwargs',
    'app/db.py',
    `connect(host="db", user="app", password="${PASSWORD}")`,
    'generic-password',
    PASSWORD,
  ],
  ['Go', 'cmd/main.go', `\tapiToken := "${KEY}"`, 'generic-secret', KEY],
  ['Java', 'src/Main.java', `    private static final String AUTH_TOKEN = "${KEY}";`, 'generic-secret', KEY],
  ['Kotlin', 'app/Keys.kt', `val accessToken = "${KEY}"`, 'generic-secret', KEY],
  ['C#', 'Startup.cs', `var apiKey = @"${KEY}";`, 'generic-secret', KEY],
  ['C# config', 'appsettings.json', `{ "Payments": { "ApiKey": "${KEY}" } }`, 'generic-secret', KEY],
  ['Ruby', 'config/initializers/acme.rb', `Acme.api_key = '${KEY}'`, 'generic-secret', KEY],
  ['Ruby hash', 'config/secrets.rb', `{ :secret_token => "${KEY}" }`, 'generic-secret', KEY],
  ['PHP', 'config/app.php', `'api_key' => '${KEY}',`, 'generic-secret', KEY],
  ['PHP define', 'config.php', `define( 'MAILER_API_KEY', '${KEY}' );`, 'generic-secret', KEY],
  // A GraphQL type's shape in a file that is no GraphQL schema is a value.
  [
    'YAML password shaped like a type',
    'config.yml',
    `password: ${TYPE_SHAPED}`,
    'generic-password',
    TYPE_SHAPED,
  ],
  ['shell', 'deploy.sh', `export API_TOKEN=${KEY}`, 'generic-secret', KEY],
  ['.env', '.env', `PAYMENT_API_KEY=${KEY}`, 'generic-secret', KEY],
  ['.env password', '.env.production', `DB_PASSWORD=${PASSWORD}`, 'generic-password', PASSWORD],
  ['YAML', 'config.yml', `service:\n  secret_key: ${KEY}\n`, 'generic-secret', KEY],
  [
    'YAML password',
    'docker-compose.yml',
    `    environment:\n      - POSTGRES_PASSWORD=${PASSWORD}\n`,
    'generic-password',
    PASSWORD,
  ],
  ['JSON', 'config.json', `{"auth_token": "${KEY}"}`, 'generic-secret', KEY],
  ['TOML', 'Cargo.toml', `[package.metadata]\napi_key = "${KEY}"`, 'generic-secret', KEY],
  ['INI', 'settings.ini', `[db]\npassword = ${PASSWORD}`, 'generic-password', PASSWORD],
  [
    'properties',
    'application.properties',
    `spring.datasource.password=${PASSWORD}`,
    'generic-password',
    PASSWORD,
  ],
  ['XML', 'web.config', `<add key="ApiSecret" value="${KEY}" />`, 'generic-secret', KEY],
  [
    'XML element',
    'settings.xml',
    `<server><password>${PASSWORD}</password></server>`,
    'generic-password',
    PASSWORD,
  ],
  ['Dockerfile', 'Dockerfile', `ENV ACME_TOKEN=${KEY}`, 'generic-secret', KEY],
  ['Terraform', 'main.tf', `  master_password = "${PASSWORD}"`, 'generic-password', PASSWORD],
  ['Terraform key', 'main.tf', `  api_key = "${KEY}"`, 'generic-secret', KEY],
  ['client secret in JS', 'auth.js', `const clientSecret = "${KEY}";`, 'oauth-client-secret', KEY],
  [
    'connection string inside a C# literal',
    'Db.cs',
    `var cs = "Server=sql;Database=x;User ID=app;Password=${PASSWORD};";`,
    'mssql-connection-string',
    PASSWORD,
  ],
  ['0x-prefixed private key', '.env', `ETH_PRIVATE_KEY=0x${HEX64}`, 'hex-private-key', `0x${HEX64}`],
  [
    'curl -u',
    'deploy.sh',
    `curl -fsS -u ci:${PASSWORD} https://ci.acme.io/api`,
    'curl-credentials',
    PASSWORD,
  ],
];

/** [description, path, content] that must yield nothing. */
const NEGATIVES: [string, string, string][] = [
  [
    "the AWS CLI's command examples (AWS documentation)",
    'site-packages/awscli/examples/iam/create-service-specific-credential.rst',
    `    {\n        "ServicePassword": "${KEY}",\n        "ServiceUserName": "admin-at-123"\n    }\n\naws apigateway get-api-key --api-key ${KEY}`,
  ],
  [
    'a default password spelt as two words',
    'deploy/create-user.sh',
    'aws connect create-user --password Pass@Word1 \\',
  ],
  ['unquoted identifier in JS', 'src/a.js', 'const token = getToken();\nconst apiKey = config.apiKey;'],
  [
    'unquoted expression in minified JS',
    'dist/a.min.js',
    'this.lastTokEnd=this.lastTokStart=null,t.tokens===!0',
  ],
  ['TypeScript type alias', 'types.d.ts', 'type ClosingBraceToken = ClosingBraceToken$1;'],
  [
    'Python env lookup',
    'settings.py',
    'SECRET_KEY = os.environ["SECRET_KEY"]\nAPI_TOKEN = os.getenv("API_TOKEN", "")',
  ],
  ['Python variable', 'db.py', 'connect(password=db_password)'],
  ['Go env lookup', 'main.go', 'apiToken := os.Getenv("API_TOKEN")'],
  ['Java getter', 'A.java', 'String password = props.getProperty("db.password");'],
  ['Ruby ENV', 'a.rb', "Acme.api_key = ENV['ACME_API_KEY']"],
  ['PHP env', 'a.php', "'api_key' => env('API_KEY'),"],
  ['shell reference', 'a.sh', 'export API_TOKEN="$API_TOKEN"\nTOKEN=$(cat /run/secrets/token)'],
  ['.env placeholder', '.env.example', 'API_KEY=\nSECRET_KEY=changeme\nDB_PASSWORD=<password>'],
  ['YAML reference', 'ci.yml', 'token: ${{ secrets.GITHUB_TOKEN }}\npassword: "{{ db_password }}"'],
  ['Kubernetes secret ref', 'deploy.yaml', 'secretKeyRef:\n  name: db-credentials\n  key: password'],
  ['JSON schema', 'schema.json', '{"password": {"type": "string", "minLength": 12}}'],
  ['i18n strings', 'en.json', '{"password": "Password", "passwordHint": "Use at least 12 characters"}'],
  ['UI code', 'Login.tsx', '<input type="password" name="password" placeholder="Password" />'],
  ['string list', 'fields.js', "const fields = ['api_key', 'access_token_secret', 'refresh_token_expiry'];"],
  ['Terraform variable', 'main.tf', '  master_password = var.db_password'],
  [
    'Dockerfile build arg',
    'Dockerfile',
    'ARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc',
  ],
  [
    'lockfile integrity',
    'package-lock.json',
    `"integrity": "sha512-${randomString(ALPHA.base64, 86, 503)}=="`,
  ],
  ['hash in a name that is no secret', 'a.py', `password_hash = "${randomString(ALPHA.hex, 64, 504)}"`],
  ['token type', 'a.json', '{"token_type": "Bearer", "expires_in": 3600}'],
  ['documentation prose', 'README.md', 'Set the token: run `acme login` and paste your token when asked.'],
  ['hex constant', 'gl.d.ts', 'readonly ANY_SAMPLES_PASSED: 0x8C2F;'],
  ['assignment after a closed string', 'a.js', 'log("done"); token = nextToken(state);'],
  // GraphQL SDL declares types: `password: String!` names no value.
  [
    'GraphQL schema',
    'schema.graphql',
    'type Mutation {\n  login(email: String!, password: String!): AuthPayload!\n  rotateToken(refreshToken: AuthenticationPayloadInput!): AuthPayload!\n}',
  ],
  ['GraphQL schema (.gql)', 'src/auth.gql', 'input Login { password: [String!]! passwordHint: String }'],
  [
    'Mapbox public token',
    'src/map.js',
    `mapboxgl.accessToken = 'pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6I${randomString(ALPHA.alnum, 25, 506)}.7${randomString(ALPHA.alnum, 21, 507)}-a';`,
  ],
];

describe('generic detectors', () => {
  it.each(POSITIVES)('find a secret assigned in %s', (_language, path, content, ruleId, secret) => {
    expect(scanText(ruleSet, content, path).map((finding) => [finding.ruleId, finding.secret])).toEqual([
      [ruleId, secret],
    ]);
  });

  it.each(NEGATIVES)('stay quiet on %s', (_description, path, content) => {
    expect(scanText(ruleSet, content, path).map((finding) => [finding.ruleId, finding.secret])).toEqual([]);
  });
});
