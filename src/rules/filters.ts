import { LINE_BEFORE_LIMIT, type Filter, type MatchContext } from './types.js';

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

/** Values that name what they stand for (`mynewpassword`, `bandpass`, `secret\n`) or are dates, colour names or anchors. */
const DESCRIPTIVE = /pass|secret|^#[A-Za-z]+$|^\d{4}-\d{2}-\d{2}(?:[T ]|$)/i;

/** Values that stand in for a secret: `xxx`, `changeme`, `your_api_key_here`, `<token>`, `TODO`, `***`. */
export const notPlaceholder: Filter = (secret) => {
  const lower = secret.toLowerCase();
  if (WEAK_VALUES.has(lower)) return false;
  if (PLACEHOLDER_WORDS.test(secret) || DESCRIPTIVE.test(secret)) return false;
  return !TEST_SEGMENT.test(secret);
};

const REFERENCE =
  /^\$|^%[\w.]+%$|^%\(?\w*\)?[sd]$|\{\{|\}\}|#\{|\$\{|process\.env|import\.meta\.env|os\.getenv|os\.environ|getenv\s*\(|System\.getenv|Environment\.GetEnvironmentVariable|ENV\[|ENV\.fetch|Deno\.env|secrets\.|^(?:var|local|data|module|vars|env|self|this|config|settings|params|args|props|options|opts|ctx|context)\.[\w.[\]'"]+$/;
const CALL = /^[\w$.:]+(?:<[\w<>, ]*>)?\(.*\)?$/;

/** Code expressions (`a===!0`, `x||y`, `a?.b`, `Jobs[-1].JobId`), format placeholders (`{name}`) and AWS ARNs. */
const EXPRESSION = /===|!==|\|\||&&|=>|\?\.|\[-?\d+\]|^\{[\w.()]+\}$|^arn:[a-z-]+:/;

/** Values that name where the secret comes from instead of holding it: `${VAR}`, `os.getenv(...)`, calls, expressions. */
export const notReference: Filter = (secret) => !REFERENCE.test(secret) && !CALL.test(secret) && !EXPRESSION.test(secret);

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

const CASE_WORD = /[A-Z]{2,}(?=[A-Z][a-z]|\d|$)|[A-Z][a-z]+|[a-z]+/g;

/** camelCase or PascalCase of real words (`passwordInput`, `InterpolationInJSX`, `userId2`, bundler-renamed `Token$1`), not random case. */
function isCamelCase(text: string): boolean {
  const body = text.replace(/(?:\$\d+|\d{1,2})$/, '');
  const words = body.match(CASE_WORD) ?? [];
  const real = words.every((word) => word.length >= 2 || /[A-Z]/.test(word));
  return real && words.length >= 2 && words.join('') === body && /[a-z]/.test(body) && /[A-Z]/.test(body);
}
const DOTTED = /^[A-Za-z_$][\w$]*(?:[?!]?\.[A-Za-z_$][\w$]*)+[?!]?$/;
const SEPARATED_WORDS = /^[A-Za-z]+(?:[_-][A-Za-z]+)*$/;
const CONSTANT = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/** Numeric constants such as `0x8C2F`; longer 0x strings (private keys) are not constants. */
const HEX_LITERAL = /^0x[0-9a-fA-F]{1,16}$/;
/** Namespaced identifiers and resource names: `serverlessrepo:applicationId`, `secretsmanager:ResourceTag/tag-key`. */
const NAMESPACED = /^[a-z][a-z0-9-]*:(?:[a-z]+(?:[A-Z][a-z]+)+|[A-Za-z][\w-]*\/[\w/*.-]+)$/;

const isQuoted = (context: MatchContext): boolean => /["'`]/.test(context.before);

/**
 * Identifiers instead of values: `passwordInput`, `config.token`, `API_TOKEN`, `?TokenKind`, `0x8C2F`.
 * Unquoted values are code, so any identifier shape is dropped; quoted ones only when unmistakable.
 */
export const notIdentifier: Filter = (secret, context) => {
  const bare = secret.replace(/^[?!@:#.]+/, '');
  if (isCamelCase(bare) || DOTTED.test(bare) || CONSTANT.test(bare) || HEX_LITERAL.test(bare) || NAMESPACED.test(bare)) {
    return false;
  }
  if (!isQuoted(context) && SEPARATED_WORDS.test(bare)) return false;
  return true;
};

/** Source files in which a literal secret is always a quoted string. */
const CODE_EXTENSIONS = new Set(
  (
    'js mjs cjs jsx ts mts cts tsx vue svelte py pyi go java kt kts scala groovy cs fs vb rb php rs swift ' +
    'c h cc cpp cxx hpp m mm dart lua pl pm r jl ex exs erl hs clj cljs elm ml sol tf hcl json json5'
  ).split(' '),
);

/**
 * True for `key=value` text inside a string literal (`"Server=db;Password=…;"`): an odd number of
 * quotes before it on an ordinary-length line, and the value ends the way such text does.
 */
function insideStringLiteral(context: MatchContext): boolean {
  const { lineBefore, after } = context;
  if (lineBefore.length >= LINE_BEFORE_LIMIT || !/^[;&"'`]?$/.test(after)) return false;
  return (lineBefore.split('"').length - 1) % 2 === 1 || (lineBefore.split("'").length - 1) % 2 === 1;
}

/**
 * In source code a secret is a string literal; an unquoted value after `token =` there is an
 * identifier or an expression (`token = this.next()`, minified `t.tokens===!0`), never a secret,
 * unless the whole assignment sits inside a string (`"Server=db;Password=…;"`).
 */
export const quotedInCode: Filter = (_secret, context) => {
  if (isQuoted(context) || insideStringLiteral(context)) return true;
  const dot = context.path.lastIndexOf('.');
  if (dot === -1 || dot < context.path.lastIndexOf('/')) return true;
  return !CODE_EXTENSIONS.has(context.path.slice(dot + 1).toLowerCase());
};

/** Words joined by `-` or `_` (`db-credentials`, `refresh_token_rotation`): names, never keys or tokens. */
export const notWords: Filter = (secret) => !SEPARATED_WORDS.test(secret);

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', '9876543210', 'qwertyuiop'];

/** How many windows of `length` characters of the keyboard/alphabet sequences occur in `lower`. */
function sequenceRuns(lower: string, length: number): number {
  let count = 0;
  for (const sequence of SEQUENCES) {
    for (let start = 0; start + length <= sequence.length; start++) {
      if (lower.includes(sequence.slice(start, start + length))) count++;
    }
  }
  return count;
}

/** Repeated characters (`aaaaaaaa`), long runs, and keyboard or alphabet sequences (`123456`, `abcd1234`). */
export const notRepeated: Filter = (secret) => {
  if (new Set(secret).size < 4) return false;
  if (/(.)\1{7,}/.test(secret)) return false;
  const lower = secret.toLowerCase();
  return sequenceRuns(lower, 6) === 0 && sequenceRuns(lower, 4) < 2;
};

/** Hex strings shorter than 20 characters: resource ids and short hashes far more often than keys. */
export const notShortHex: Filter = (secret) => !/^(?:0x)?[0-9a-fA-F]{1,19}$/.test(secret);

/** Named filters that rules refer to with `filters:`. */
export const FILTERS: Readonly<Record<string, Filter>> = {
  'quoted-in-code': quotedInCode,
  'not-placeholder': notPlaceholder,
  'not-reference': notReference,
  'not-uuid': notUuid,
  'not-integrity': notIntegrity,
  'not-path': notPath,
  'not-url': notUrl,
  'not-identifier': notIdentifier,
  'not-words': notWords,
  'not-repeated': notRepeated,
  'not-short-hex': notShortHex,
};
