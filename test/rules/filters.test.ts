import { describe, expect, it } from 'vitest';
import {
  notGraphqlType,
  notHash,
  notIdentifier,
  notPath,
  notPlaceholder,
  notPublicToken,
  notReference,
  notRepeated,
  notUrl,
  notUuid,
} from '../../src/rules/filters.js';

const quoted = { match: '', before: '"', after: '"', lineBefore: '', path: 'a' };
const bare = { match: '', before: ' ', after: '', lineBefore: '', path: 'a' };

describe('false-positive filters', () => {
  it('notPublicToken drops Mapbox public tokens but keeps secret ones', () => {
    const body = 'eyJ1IjoiYWNtZSIsImEiOiJjbHh2Z3Rr' + 'MDQ5N2Z3MnFwd2R6a3Z5In0';
    expect(notPublicToken('pk.' + body + '.Xk2Lm9QwZr8Tn3Vb5Hc7Jd', quoted)).toBe(false);
    expect(notPublicToken('sk.' + body + '.Xk2Lm9QwZr8Tn3Vb5Hc7Jd', quoted)).toBe(true);
    expect(notPublicToken('pk.Xk2Lm9QwZr8Tn3Vb5Hc7Jd', quoted)).toBe(true);
  });
  it('notGraphqlType drops type references in GraphQL schema files only', () => {
    for (const path of ['schema.graphql', 'api/schema.graphqls', 'src/auth.gql']) {
      for (const type of ['String!', '[String!]!', 'AuthPayload', 'ID']) {
        expect(notGraphqlType(type, { ...bare, path })).toBe(false);
      }
      expect(notGraphqlType('Kq7#rT2-mP9z', { ...bare, path })).toBe(true);
    }
    expect(notGraphqlType('String!', { ...bare, path: 'config.yml' })).toBe(true);
    expect(notGraphqlType('Hunter7Kq!', { ...bare, path: 'src/app.ts' })).toBe(true);
  });
  it.each(['changeme', 'your_api_key_here', '<token>', 'TODO', 'example-key', 'dummy', 'test', 'test_secret', '********', 'xxxxxxxx', 'XX-XXXX-XXXX', 'xxx123abc', 'REPLACE_ME', 'postgres'])(
    'notPlaceholder drops %s',
    (value) => { expect(notPlaceholder(value, quoted)).toBe(false); },
  );
  it.each(['Xq7!rT2#mP9z', 'k8Jd92LmQz0Pw3', 'latest-Hx92kd', 'XXk7Tq2mVn9RzL4p'])('notPlaceholder keeps %s', (value) => { expect(notPlaceholder(value, quoted)).toBe(true); },
  );
  it.each(['xx', 'xxx-yyy', 'XX_API_KEY', 'xx-xx-xx'])('notPlaceholder drops the x placeholder %s', (value) => {
    expect(notPlaceholder(value, quoted)).toBe(false);
  });
  it.each(['xX9kLm2Qw7Rt', 'xx2t3t0VlhIDbKKFutK'])('notPlaceholder keeps %s, random text that starts with two x', (value) => {
    expect(notPlaceholder(value, quoted)).toBe(true);
  });
  it.each(['${VAR}', '$VAR', 'process.env.X', 'os.getenv("X")', 'os.environ["X"]', '{{ secrets.X }}', '%(x)s', 'getSecret()', '%APPDATA%', 'var.db_password', '#{ENV}', '$BB_TOKEN@bitbucket.org/acme/app.git'])(
    'notReference drops %s',
    (value) => { expect(notReference(value, bare)).toBe(false); },
  );
  it('notReference keeps literal values', () => { expect(notReference('Zq8rT3vY6nB1', quoted)).toBe(true); });
  it('notReference keeps a password that starts with $ and holds an @', () => {
    expect(notReference('$Vb7nM3q@acme.io', quoted)).toBe(true);
  });
  it("notHash drops dotenvx's encrypted values but keeps a value that only starts with the word", () => {
    const ciphertext = 'BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt+Z9HPMfLEIRVz50hmLXPXRuDBXaJi/LwWYEVUNiq0HISrslzQ==';
    expect(notHash('encrypted:' + ciphertext, quoted)).toBe(false);
    expect(notHash('encrypted:Kq7rT2mP9z', quoted)).toBe(true);
    expect(notHash(ciphertext, quoted)).toBe(true);
  });
  it('notHash drops phpass, WordPress bcrypt and Spring Cloud Config ciphertext but keeps passwords that start alike', () => {
    expect(notHash('$P$BmYpGMyjKFopGZKJF.0buE8Xyj7JPDY', quoted)).toBe(false);
    expect(notHash('$H$9Xq2LmT7vNc4Rk8Wd3Hf6Jg1Zs5Pb0Q', quoted)).toBe(false);
    expect(notHash('$wp$2y$10$Sa0gXCHC9ogCPhJWz1chnN9llUmSRixmEOAT7NX8', quoted)).toBe(false);
    expect(notHash('{cipher}ead81c861b685c2567acc4393c856f91fa373d3392', quoted)).toBe(false);
    expect(notHash('{cipher}{key:prod}AQBkYd9wVq3Zt7Xr2Lm5Nc8Hs4Jf6Gy1Pa0Ke+UoV/Wb=', quoted)).toBe(false);
    expect(notHash('$P$word7Kq', quoted)).toBe(true);
    expect(notHash('{cipher}', quoted)).toBe(true);
    expect(notHash('$wpKq7rT2mP9z', quoted)).toBe(true);
  });
  it('notUuid drops UUIDs', () => {
    expect(notUuid('123e4567-e89b-42d3-a456-426614174000', quoted)).toBe(false);
    expect(notUuid('k8Jd92LmQz0Pw3', quoted)).toBe(true);
  });
  it.each(['/etc/app/secret.key', './keys/dev.pem', 'C:\\keys\\a.pfx', 'config/credentials.yml', 'secrets/prod/api'])(
    'notPath drops %s',
    (value) => { expect(notPath(value, quoted)).toBe(false); },
  );
  it('notPath keeps base-64 with slashes', () => { expect(notPath('wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8vB3kW1', quoted)).toBe(true); });
  it('notUrl drops URLs without credentials only', () => {
    expect(notUrl('https://auth.acme.io/token', quoted)).toBe(false);
    expect(notUrl('https://u:p4ss@acme.io', quoted)).toBe(true);
  });
  it.each(['passwordInput', 'userApiToken', 'config.token', 'match.groups?.secret', 'API_TOKEN', 'PasswordField', '?InterpolationInJSX', 'parseURLToken', 'ClosingBraceToken$1', '0x8C2F', 'serverlessrepo:applicationId'])('notIdentifier drops %s', (value) => { expect(notIdentifier(value, bare)).toBe(false); },
  );
  it('notIdentifier drops bare separated words but keeps quoted passphrases and random mixed case', () => {
    expect(notIdentifier('db-credentials', bare)).toBe(false);
    expect(notIdentifier('correct-horse-battery-staple', quoted)).toBe(true);
    expect(notIdentifier('cLnxLKzCD7sZt3flOG0R0MtMT3vNfgPH', quoted)).toBe(true);
  });
  it.each(['aaaaaaaaaaaa', 'abababab', '12345678901', 'abcdefgh1234', 'qwertyuiop!'])('notRepeated drops %s', (value) => { expect(notRepeated(value, quoted)).toBe(false); },
  );
});

describe('filters stay linear in the line before a match', async () => {
  const { scanChunk } = await import('../../src/engine/scan.js');
  const { loadBuiltinRules } = await import('../../src/rules/catalogue.js');
  const { compileRuleSet } = await import('../../src/rules/compile.js');
  const ruleSet = compileRuleSet(await loadBuiltinRules());

  it('drops a value after an ARN prefix and keeps one after a run of `arn:` with no colon at its end, in linear time', () => {
    const after = (lineBefore: string) => notIdentifier('db-AbCdEf9x', { ...bare, lineBefore });
    expect(after('"arn:aws:secretsmanager:us-east-1:123456789012:secret:')).toBe(false);
    expect(after('Resource: arn:${AWS::Partition}:ssm:*:')).toBe(false);
    expect(after('x = warn:')).toBe(true);
    expect(after('arn:aws "x:')).toBe(true);
    expect(after('arn::')).toBe(false);
    expect(after('arn:')).toBe(true);
    // Each secret after 2,000 characters of `arn:`: the lookup tried every `arn:` to the line's end.
    const line = `${'arn:'.repeat(500)}&secret_key=${'Kx9vLm' + 'Q2pWaB3'}&password=${'Hq4wNz' + '8Rt2Lm'}\n`;
    const content = line.repeat(Math.ceil((1 << 20) / line.length));
    const before = process.cpuUsage();
    scanChunk({ path: 'a.txt', content, startLine: 1, origin: 'file' }, ruleSet);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(400);
  });
});
