/**
 * Filters that read where a value stands: published samples, sample credentials in URLs and Basic
 * headers, values that echo their name, names of non-secrets, SQL statements.
 */
import { notPlaceholder, notRepeated, WEAK_VALUES } from './filters.js';
import { isExamplesFile, isPublishedSample } from './placeholders.js';
import type { Filter } from './types.js';

/** `user:password` from the base64 of a Basic header, when it decodes to printable text with a colon. */
function basicCredentials(secret: string): [string, string] | undefined {
  if (!/^[A-Za-z0-9+/]{8,}={0,2}$/.test(secret)) return undefined;
  const decoded = Buffer.from(secret, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || !/^[\x20-\x7e]+$/.test(decoded)) return undefined;
  return [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/**
 * Credentials that RFCs and vendors publish (RFC 7617's `Aladdin:open sesame`, RFC 6749's client
 * secret, AWS's keys and tokens marked EXAMPLE), also inside a Basic header, and every value in the
 * AWS SDKs' documentation example files.
 */
export const notSample: Filter = (secret, context) => {
  if (isPublishedSample(secret) || isExamplesFile(context.path)) return false;
  const basic = basicCredentials(secret);
  return basic === undefined || !sampleCredentials(basic[0], basic[1]);
};

/** Text with `%XX` and `\xXX`/`\uXXXX` escapes decoded (a malformed escape is left as it is). */
function unescaped(text: string): string {
  return text
    .replace(/\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})/g, (_all, byte?: string, unit?: string) =>
      String.fromCharCode(parseInt(byte ?? unit ?? '0', 16)),
    )
    .replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
}

/** Letters and digits only, lower case: how a value reads when its escapes and punctuation are ignored. */
const bareLower = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A user and password that are samples, not secrets: the same word twice (`deploy:deploy`),
 * anonymous FTP (whose password is by convention an e-mail address), a published sample, or a
 * placeholder, keyboard walk or dictionary word once escapes are decoded (`foo%40bar`, `pa\u00adss`).
 */
function sampleCredentials(user: string, password: string): boolean {
  const plainUser = unescaped(user);
  const plain = unescaped(password);
  if (plainUser.toLowerCase() === plain.toLowerCase() || /^(?:anonymous|ftp)$/i.test(plainUser)) return true;
  if (isPublishedSample(plain)) return true;
  const letters = bareLower(plain);
  const quoted = { match: '', before: '"', after: '"', lineBefore: '', path: '' };
  return (
    letters === '' ||
    WEAK_VALUES.has(letters) ||
    !notPlaceholder(plain, quoted) ||
    !notPlaceholder(letters, quoted) ||
    !notRepeated(plain, quoted)
  );
}

/**
 * Credentials in a URL (the match is `scheme://user:password@host`) that are samples: see
 * sampleCredentials. A documentation host (`example.com`) is no reason on its own: synthetic
 * fixtures and anonymised configs use one for credentials that are real elsewhere.
 */
export const notSampleUrl: Filter = (secret, context) => {
  const url = /:\/\/([^\s:/]*):/.exec(context.match);
  return url?.[1] === undefined || !sampleCredentials(url[1], secret);
};

const ECHO_PREFIX = /^(?:my|your|the|some|sample|example|test|dummy|fake)/;

/**
 * Values that repeat the name they are assigned to (the name the match starts with): identifiers
 * passed on (`withCredentials: withCredentials`), enum constants (`…_VALUE_FAILURE = "failure"`),
 * and generated samples (`"recaptchaV3Token": "my_recaptchaV3Token"`, `termToken: "term-token-…"`).
 */
export const notOwnName: Filter = (secret, context) => {
  const rawName = /^[\w.-]*/.exec(context.match)?.[0] ?? '';
  const name = bareLower(rawName);
  const value = bareLower(secret);
  if (name.length < 4 || value.length < 4) return true;
  if (value === name || value.replace(ECHO_PREFIX, '') === name) return false;
  // An enum constant: the name ends with the value, which is only words (and digits:
  // `SN_setAttr_Token_B0Prime "setAttr-Token-B0Prime"`), also joined by `:`, `/` or `.`
  // (`FindingTypeSensitiveDataS3objectCredentials = "SensitiveData:S3Object/Credentials"`).
  if (/^[\w-]+(?:[:/.][\w-]+)*$/.test(secret) && name.endsWith(value)) return false;
  // A sample built from a name of two words or more: `term-token-gPFE…` for termToken.
  const words = /[_.-]|[a-z][A-Z]/.test(rawName);
  return !(words && name.length >= 8 && value.startsWith(name));
};

/** A statement that sets a database user's password, on the line before `IDENTIFIED BY` or `PASSWORD`. */
const SQL_STATEMENT = /\b(?:create|alter)\s+(?:user|role|login)\b|\bset\s+password\b|\bgrant\b/i;

/**
 * `IDENTIFIED BY` and `PASSWORD` in a SQL statement, not in prose (`changes are identified by
 * subelements`, `identified by 'bidding_strategy'`): the line starts the statement, or (a statement
 * split over lines) the value is quoted and more than words.
 */
export const sqlStatement: Filter = (secret, context) =>
  SQL_STATEMENT.test(context.lineBefore) ||
  (/["'`]/.test(context.before) && !/^[A-Za-z]+(?:[_-][A-Za-z]+)*$/.test(secret));

/** Words in a name whose value is not a secret though the name says token, key or password. */
const PROTECTED_NAME =
  /(?:csrf|xsrf)(?![_.-]?secret)|authenticity|forgery|encrypted|ciphertext|crypted|hashed|(?:sha-?(?:1|224|256|384|512)|md5)$|auth[_.-]?tag|(?:pusher|reverb)[_.-]?(?:app[_.-]?)?key(?![a-z])|algolia[_.-]?search|search[_.-]?only|mixpanel[_.-]?(?:project[_.-]?)?token(?![a-z])|amplitude[_.-]?(?:api[_.-]?)?key(?![a-z])/i;

/**
 * Names of values that are not secrets: CSRF tokens (`csrf_token`, `authenticity_token`, forgery
 * protection; not the secret that signs them, Flask-WTF's `WTF_CSRF_SECRET_KEY`), ciphertext
 * marked as such (`encrypted_password`), hashes (`hashed_password`, and a name that ends in its
 * algorithm: `PASSWORD_SHA256`, `passwordMd5`), the authentication tag an
 * AEAD cipher writes beside its ciphertext (`auth_tag` in a Chef encrypted data bag item,
 * `authTag`), and the public half of a Pusher or Laravel Reverb app (`PUSHER_APP_KEY`, which
 * browsers are given to subscribe; its `PUSHER_APP_SECRET` is the secret). Likewise keys that
 * analytics and search front ends ship to every browser: Algolia's and Typesense's search-only keys
 * (`ALGOLIA_SEARCH_API_KEY`, `TYPESENSE_SEARCH_ONLY_API_KEY`; the admin key is the secret), a
 * Mixpanel project token (`MIXPANEL_TOKEN`; the API secret is the secret) and Amplitude's API key
 * (`AMPLITUDE_API_KEY`; its secret key is the secret). The name is the start of the match, as in the
 * generic assignment rules.
 */
export const notProtectedName: Filter = (_secret, context) =>
  !PROTECTED_NAME.test(/^[\w.-]{0,80}/.exec(context.match)?.[0] ?? '') &&
  !(context.lineBefore === '' && TEST_RESULT.test(context.match));

/**
 * A test harness's result line (DejaGnu's and Automake's `PASS:` then the test's name, in the .sum
 * and test-summary files toolchains ship): the name of a test that passed, not a password.
 * Only where the match starts the line, in capitals, one blank after: a YAML or env key named PASS
 * is indented or set with `=`.
 */
const TEST_RESULT = /^(?:X?PASS|KPASS): \S/;
