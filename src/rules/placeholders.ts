/**
 * Families of values that stand in for a secret without being one: dictionary words in leetspeak
 * (`pa$$w0rd`, `s3cr3t123`), keyboard walks and alphabet runs (`1qaz2wsx`, `abcd1234`), repeated
 * units (`abcabcabc`), and the sample credentials that RFCs and vendors publish. The filters in
 * filters.ts combine them.
 */

/**
 * Words that make up placeholder and default passwords: the word itself, defaults of common
 * software, metasyntactic variables and the most common weak passwords. A value is a placeholder
 * only when these words cover every letter of it (digits and punctuation may fill the gaps).
 */
const PLACEHOLDER_WORDS = (
  'password passwd passw pass word pwd pw secret secrets token apikey api key keys admin administrator root toor ' +
  'user username usr login logon guest demo test tester default changeme change letmein welcome qwerty ' +
  'hunter dragon monkey master shadow sunshine iloveyou trustno football baseball superman batman ' +
  'princess foo bar baz qux quux corge grault garply waldo fred plugh xyzzy thud hello world example ' +
  'sample dummy fake mock my your our new old super top secure private access auth db database mysql ' +
  'postgres postgresql pg redis mongo oracle sa dev prod local localhost app service system sys open ' +
  'sesame temp tmp anonymous nobody scott tiger deadbeef dead beef cafe babe coffee abc xyz qwe asd zxc'
).split(' ');

/** Characters that leetspeak writes for a letter. */
const LEET: Readonly<Record<string, string>> = { a: '@4', e: '3', i: '1!', o: '0', s: '$5', t: '7+', l: '1', g: '9' };

function letterMatches(char: string, letter: string): boolean {
  return char === letter || (LEET[letter]?.includes(char) ?? false);
}

const LETTER = /[a-z]/;

/**
 * Whether every letter of `value` belongs to a placeholder word, read with leetspeak
 * (`P@ssw0rd!`, `s3cr3t123`, `hunter2hunter2`, `foo@bar`), and at least one word of three
 * letters or more occurs. Digits and punctuation between words are allowed.
 */
export function isDictionaryPlaceholder(value: string): boolean {
  const text = value.toLowerCase();
  if (text.length > 64) return false;
  // reach[i]: the first i characters can be covered; long[i]: with a word of three letters or more.
  const reach = new Array<boolean>(text.length + 1).fill(false);
  const long = new Array<boolean>(text.length + 1).fill(false);
  reach[0] = true;
  for (let start = 0; start < text.length; start++) {
    if (!reach[start]) continue;
    const char = text[start] ?? '';
    // A digit or punctuation mark may stand alone between words (a letter may not).
    if (!LETTER.test(char)) {
      reach[start + 1] = true;
      long[start + 1] ||= long[start] === true;
    }
    for (const word of PLACEHOLDER_WORDS) {
      const end = start + word.length;
      if (end > text.length) continue;
      let matches = true;
      for (let index = 0; index < word.length && matches; index++) {
        matches = letterMatches(text[start + index] ?? '', word[index] ?? '');
      }
      if (!matches) continue;
      reach[end] = true;
      long[end] ||= long[start] === true || word.length >= 3;
    }
  }
  return long[text.length] === true;
}

/** Keyboard rows and columns, the alphabet and the digits (0 after 9 as well), forwards and backwards. */
export const SEQUENCES = [
  '01234567890',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'qazwsxedcrfvtgbyhnujmikolp',
  '!@#$%^&*()',
].flatMap((sequence) => [sequence, Array.from(sequence).reverse().join('')]);

/** The windows of each length (memoised) of the sequences. */
const windows = new Map<number, Set<string>>();
function windowsOf(length: number): Set<string> {
  let found = windows.get(length);
  if (!found) {
    found = new Set();
    for (const sequence of SEQUENCES) {
      for (let start = 0; start + length <= sequence.length; start++) found.add(sequence.slice(start, start + length));
    }
    windows.set(length, found);
  }
  return found;
}

/** Every two characters adjacent in one of the sequences, as `first << 16 | second`. */
const ADJACENT = new Set(
  SEQUENCES.flatMap((sequence) =>
    Array.from(sequence.slice(1), (_, index) => (sequence.charCodeAt(index) << 16) | sequence.charCodeAt(index + 1)),
  ),
);

/** How many distinct windows of `length` characters of the keyboard and alphabet sequences occur in `lower`. */
export function sequenceRuns(lower: string, length: number): number {
  const known = windowsOf(length);
  if (known.size === 0 || length < 2) return length === 1 ? new Set(lower).size : 0;
  let seen: Set<string> | undefined;
  // A window of a sequence has each of its characters adjacent, in that sequence, to the next: only
  // windows that are runs of such pairs are cut and looked up (slicing every window of every
  // candidate was most of the not-repeated filter's time).
  let run = 0;
  for (let end = 1; end < lower.length; end++) {
    run = ADJACENT.has((lower.charCodeAt(end - 1) << 16) | lower.charCodeAt(end)) ? run + 1 : 0;
    if (run < length - 1) continue;
    const window = lower.slice(end + 1 - length, end + 1);
    if (known.has(window)) (seen ??= new Set()).add(window);
  }
  return seen?.size ?? 0;
}

/** A value that is one run of a keyboard row or column, the alphabet or the digits (`qwer`, `zxcvbn`). */
export function isSequence(value: string): boolean {
  return value.length >= 4 && windowsOf(value.length).has(value.toLowerCase());
}

/**
 * A value made of one unit repeated (`abcabcabc`, `Ab1!Ab1!`), also when cut to a length or after a
 * short prefix, as placeholders are written to a token's shape (`abc123abc123abc123a`,
 * `glc_yourapikeyhere123yourapikeyhere123y`): a unit of at most 32 characters, seen twice at least,
 * that runs on to the end from at most the twelfth character or the first quarter (a password
 * that says a word twice, `<Word>1234^<word>`, is no placeholder).
 */
export function isPeriodic(value: string): boolean {
  const maxStart = Math.min(12, value.length >> 2);
  for (let start = 0; start <= maxStart; start++) {
    // Every character from `start` on equals the one `period` after it: compared in place, since
    // slicing the two sides for each of the 400-odd tries made this filter the slowest step of a
    // scan with a thousand near-miss matches (most tries end at their first character).
    for (let period = 1; period <= 32 && period * 2 <= value.length - start; period++) {
      const end = value.length - period;
      let at = start;
      while (at < end && value.charCodeAt(at) === value.charCodeAt(at + period)) at++;
      if (at === end) return true;
    }
  }
  return false;
}

/** Letters and digits interleaved where each alone is a run (`a1b2c3d4`, `1a2b3c4d`). */
export function isInterleavedRun(value: string): boolean {
  const lower = value.toLowerCase();
  const letters = lower.replace(/[^a-z]/g, '');
  const digits = lower.replace(/[^0-9]/g, '');
  if (letters.length < 4 || digits.length < 4 || letters.length + digits.length < lower.length - 1) return false;
  if (letters.length > 26 || digits.length > 11) return false;
  return windowsOf(letters.length).has(letters) && windowsOf(digits.length).has(digits);
}

/**
 * Credentials that RFCs and vendors publish in their documentation, and values that carry a
 * vendor's sample marker (AWS ends its sample keys with EXAMPLE or EXAMPLEKEY and puts EXAMPLE
 * inside its sample session tokens).
 */
const SAMPLE_VALUES = new Set([
  // RFC 7617 (and RFC 2617) Basic example, RFC 2617 Digest example
  'open sesame',
  'Circle Of Life',
  // RFC 6749: client secret, authorization code, access and refresh tokens
  'gX1fBat3bV',
  '7Fjfp0ZBr1KtDRbnfVdmIw',
  'SplxlOBeZQQYbYS6WxSbIA',
  '2YotnFZFEjr1zCsicMWpAA',
  'tGzv3JOkF0XG5Qx2TlKWIA',
  // RFC 6750's bearer token
  'mF_9.B5f-4.1JqM',
  // Google's OAuth 2.0 documentation: access and refresh token
  '1/fFAGRNJru1FTz70BzhT3Zg',
  '1/xEoDL4iW3cxlI7yDbSRFYNG01kVKM2C-259HOF2aQbI',
  // RFC 5849 (OAuth 1.0): the photo-sharing example's credentials and section 3.5.1's header
  'dpf43f3p2l4k3l03',
  'kd94hf93k423kf44',
  'hh5s93j4hdidpola',
  'hdhd0244k9j7ao03',
  'hfdp7dh39dks9884',
  'nnch734d00sl2jdk',
  'pfkkdhi9sl3r4s00',
  '9djdj82h48djs9d2',
  'kkk9d7dh3k39sjv7',
  '0685bd9184jfhq22',
  'ad180jjd733klru7',
  // oauthlib's and requests-oauthlib's doctests (vendored in the Google Cloud SDK and many virtualenvs)
  'lsdkfol23w54jlksdef',
  'qwe089234lkjsdf',
  'askfjh234as9sd8',
  'lsdajfh923874',
  '2kjshdfp92i34asdasd',
  'kjerht2309uf',
  // RFC 7519 and jwt.io's example signatures
  'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  // Oracle's classic sample schema
  'tiger',
  // The Azurite storage emulator's account key for devstoreaccount1, the same in every install
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
]);
const VENDOR_MARKER = /EXAMPLE/;
/** JWT signatures of the samples above, found at the end of a token. */
const SAMPLE_SUFFIXES = [
  '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  // PyJWT's README: jwt.encode({"some": "payload"}, "secret", algorithm="HS256"), in every install's metadata
  '.4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg',
];

/** Whether a value is a published sample credential, or carries a vendor's sample marker. */
export function isPublishedSample(value: string): boolean {
  if (SAMPLE_VALUES.has(value) || VENDOR_MARKER.test(value)) return true;
  return SAMPLE_SUFFIXES.some((suffix) => value.endsWith(suffix));
}

/**
 * Files that hold documented API examples, not configuration: the AWS SDKs' example files
 * (aws-sdk-js v2's `apis/*.examples.json`, botocore's and the Go SDK's `examples-1.json`) and the
 * AWS CLI's command examples (`awscli/examples/<service>/<command>.rst`), whose sample keys,
 * passwords and tokens are AWS documentation.
 */
export function isExamplesFile(path: string): boolean {
  return /(?:^|[/\\])[\w.-]+\.examples\.json$|(?:^|[/\\])examples-1\.json$|(?:^|[/\\])awscli[/\\]examples[/\\](?:[\w.-]+[/\\])*[\w.-]+\.rst$/.test(
    path,
  );
}
