import { describe, expect, it } from 'vitest';
import { builtinRuleSet, position, scanText } from '../helpers/catalogue.js';
import { ALPHA, randomString } from '../helpers/tokens.js';

const ruleSet = await builtinRuleSet();
const PASSWORD = randomString(ALPHA.alnum, 12, 2401);

/** The 1-based column of `secret` in the one-line `text`. */
const columnOf = (text: string, secret: string) => text.indexOf(secret) + 1;

describe('a URL whose password is a shell default', () => {
  it.each([
    ['.env', `DATABASE_URL=postgres://app:\${PGPASS:-${PASSWORD}}@db:5432/app`, 'postgres-connection-string'],
    [
      'docker-compose.yml',
      `      REDIS_URL: redis://:\${REDIS_PASSWORD:-${PASSWORD}}@cache:6379/0`,
      'redis-connection-string',
    ],
    [
      'compose.yaml',
      `      - DATABASE_URL=postgresql://\${PGUSER:-app}:\${PGPASS-${PASSWORD}}@db/app`,
      'postgres-connection-string',
    ],
    [
      'deploy.sh',
      `export AMQP_URL="amqp://worker:\${RABBIT_PASS:-${PASSWORD}}@mq:5672/"`,
      'amqp-connection-string',
    ],
  ])('reports the default in %s at its place, from the scheme’s rule', (path, text, ruleId) => {
    expect(scanText(ruleSet, `${text}\n`, path).map(position)).toEqual([
      {
        ruleId,
        line: 1,
        column: columnOf(text, PASSWORD),
        endLine: 1,
        endColumn: columnOf(text, PASSWORD) + PASSWORD.length,
        secret: PASSWORD,
      },
    ]);
  });

  it.each([
    ['no default', 'DATABASE_URL=postgres://app:${PGPASS}@db:5432/app'],
    ['an empty default', 'DATABASE_URL=postgres://app:${PGPASS:-}@db:5432/app'],
    ['a placeholder default', 'DATABASE_URL=postgres://app:${PGPASS:-changeme}@db:5432/app'],
    ['the user name as default', 'DATABASE_URL=postgres://postgres:${PGPASS:-postgres}@localhost/test'],
    ['a variable as default', 'DATABASE_URL=postgres://app:${PGPASS:-${DEFAULT_PASS}}@db/app'],
    ['a template literal', 'const url = `postgres://${user}:${password}@${host}/app`;'],
  ])('stays quiet on %s', (_case, text) => {
    expect(scanText(ruleSet, `${text}\n`, '.env')).toEqual([]);
  });
});
