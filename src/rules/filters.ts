import type { Filter, MatchContext } from './types.js';

const PLACEHOLDER_WORDS =
  /example|sample|placeholder|changeme|change[_-]me|dummy|redacted|replace[_-]?(?:me|with|this)|insert[_-]?(?:your|here)|fixme|todo|lorem|ipsum|foobar|notreal|not[_-]a[_-]real|fake|mock|_here$|-here$|goes[_-]?here|^your|[_-]your[_-]|^my[_-]?(?:api|secret|token|password|key|pass)|^<|>$|^\[|\]$|^xx+|xxxx|\*\*\*|•••|\.\.\.|…|^n\/?a$/i;
const TEST_SEGMENT = /(?:^|[\W_\d])test(?:ing)?(?:$|[\W_\d])|^test/i;
const WEAK_VALUES = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'apikey',
  'api_key',
  'admin',
  'root',
  'pass',
  'null',
  'nil',
  'none',
  'true',
  'false',
  'undefined',
  'empty',
  'default',
  'string',
  'required',
  'optional',
  'unknown',
  'hidden',
  'masked',
  'private',
  'public',
  'value',
  'postgres',
  'mysql',
  'mariadb',
  'mongo',
  'mongodb',
  'redis',
  'rabbitmq',
  'guest',
  'sa',
  'user',
  'qwerty',
  'letmein',
  'welcome',
  '123456',
  '1234567',
  'password1',
  'password123',
  'admin123',
  'secret123',
]);

/** Values that stand in for a secret: `xxx`, `changeme`, `your_api_key_here`, `<token>`, `TODO`, `***`. */
export const notPlaceholder: Filter = (secret) => {
  const lower = secret.toLowerCase();
  if (WEAK_VALUES.has(lower)) return false;
  if (PLACEHOLDER_WORDS.test(secret)) return false;
  return !TEST_SEGMENT.test(secret);
};

const REFERENCE =
  /^\$|^%[\w.]+%$|^%\(?\w*\)?[sd]$|\{\{|\}\}|#\{|\$\{|process\.env|import\.meta\.env|os\.getenv|os\.environ|getenv\s*\(|System\.getenv|Environment\.GetEnvironmentVariable|ENV\[|ENV\.fetch|Deno\.env|secrets\.|^(?:var|local|data|module|vars|env|self|this|config|settings|params|args|props|options|opts|ctx|context)\.[\w.[\]'"]+$/;
const CALL = /^[\w$.:]+(?:<[\w<>, ]*>)?\(.*\)?$/;

/** Values that name where the secret comes from instead of holding it: `${VAR}`, `os.getenv(...)`, calls. */
export const notReference: Filter = (secret) => !REFERENCE.test(secret) && !CALL.test(secret);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** UUIDs are identifiers far more often than secrets when assigned to a generic name. */
export const notUuid: Filter = (secret) => !UUID.test(secret);

/** Subresource-integrity and lockfile hash values. */
export const notIntegrity: Filter = (secret) => !/^(?:sha1|sha256|sha384|sha512|md5)[-:=]/i.test(secret);

/** File-system paths: absolute, relative, home-relative, Windows drive paths, or slash-separated lowercase words. */
export const notPath: Filter = (secret) =>
  !/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\|\\\\)/.test(secret) &&
  !/^[\w.-]+(?:[/\\][\w.-]+)*[/\\][\w-]+\.[A-Za-z0-9]{1,6}$/.test(secret) &&
  !/^[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)+\/?$/.test(secret);

/** URLs that carry no credentials (credentials in URLs have their own rule). */
export const notUrl: Filter = (secret) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(secret) || /:\/\/[^/\s]*:[^/\s]*@/.test(secret);

const CAMEL = /^[a-z]{2,}(?:[A-Z][a-z]+)+\d{0,2}$|^(?:[A-Z][a-z]+){2,}\d{0,2}$/;
const DOTTED = /^[A-Za-z_$][\w$]*(?:[?!]?\.[A-Za-z_$][\w$]*)+[?!]?$/;
const SEPARATED_WORDS = /^[A-Za-z]+(?:[_-][A-Za-z]+)*$/;
const CONSTANT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

const isQuoted = (context: MatchContext): boolean => /["'`]/.test(context.before);

/**
 * Identifiers instead of values: `passwordInput`, `config.token`, `API_TOKEN`.
 * Unquoted values are code, so any identifier shape is dropped; quoted ones only when unmistakable.
 */
export const notIdentifier: Filter = (secret, context) => {
  if (CAMEL.test(secret) || DOTTED.test(secret) || CONSTANT.test(secret)) return false;
  if (!isQuoted(context) && SEPARATED_WORDS.test(secret)) return false;
  return true;
};

/** Words joined by `-` or `_` (`db-credentials`, `refresh_token_rotation`): names, never keys or tokens. */
export const notWords: Filter = (secret) => !SEPARATED_WORDS.test(secret);

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', '9876543210', 'qwertyuiop'];

/** Repeated characters (`aaaaaaaa`), long runs, and keyboard or alphabet sequences. */
export const notRepeated: Filter = (secret) => {
  if (new Set(secret).size < 4) return false;
  if (/(.)\1{7,}/.test(secret)) return false;
  const lower = secret.toLowerCase();
  return !SEQUENCES.some((sequence) => {
    for (let start = 0; start + 8 <= sequence.length; start++) {
      if (lower.includes(sequence.slice(start, start + 8))) return true;
    }
    return false;
  });
};

/** Named filters that rules refer to with `filters:`. */
export const FILTERS: Readonly<Record<string, Filter>> = {
  'not-placeholder': notPlaceholder,
  'not-reference': notReference,
  'not-uuid': notUuid,
  'not-integrity': notIntegrity,
  'not-path': notPath,
  'not-url': notUrl,
  'not-identifier': notIdentifier,
  'not-words': notWords,
  'not-repeated': notRepeated,
};
