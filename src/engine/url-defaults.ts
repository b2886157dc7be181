import type { EscapedLine } from './escaped.js';

/** Longer lines (minified bundles) are left alone, as escaped.ts leaves them. */
const MAX_LINE = 16 * 1024;
/** How far before the password the scheme's `://` may be: a user name at most, as the URL rules read it. */
const MAX_USER = 200;

/**
 * The password of a URL written as a shell default, from its `${` to its `@`: `${PGPASS:-value}@`
 * (Compose and the shell also read `${PGPASS-value}`). The value is what the URL holds whenever the
 * variable is unset.
 */
const PASSWORD_DEFAULT = /\$\{[A-Za-z_]\w{0,99}:?-([^\s@/"'`{}$\\]{1,128})\}@/dy;
/** The user before it: plain, a variable, or a variable with its own default. */
const USER =
  /^(?:[^\s:@/"'`{}$\\]{0,64}|\$\{[A-Za-z_]\w{0,99}\}|\$\{[A-Za-z_]\w{0,99}:?-([^\s:@/"'`{}$\\]{0,64})\})$/d;

/** A span the view leaves out, and whether it closes a default (a `}`). */
interface Cut {
  from: number;
  to: number;
  closes: boolean;
}

/**
 * Each line with a URL whose password is a shell default (`postgres://app:${PGPASS:-…}@db/app`,
 * `redis://:${REDIS_PASSWORD:-…}@cache`, as Compose files and .env files write them), read as the
 * URL that holds the default (`postgres://app:…@db/app`), so the connection-string rules see the
 * password where they look for one.
 */
export function urlDefaultViews(content: string): EscapedLine[] {
  const found: EscapedLine[] = [];
  // The line of the last `:${`: each line's bounds are looked for once, however many it holds.
  let lineStart = 0;
  let lineEnd = -1;
  for (let at = content.indexOf(':${'); at !== -1; at = content.indexOf(':${', at + 1)) {
    if (at > lineEnd) {
      lineStart = content.lastIndexOf('\n', at) + 1;
      const newline = content.indexOf('\n', at);
      lineEnd = newline === -1 ? content.length : newline;
    }
    if (lineEnd - lineStart > MAX_LINE) {
      at = lineEnd;
      continue;
    }
    PASSWORD_DEFAULT.lastIndex = at + 1;
    const password = PASSWORD_DEFAULT.exec(content)?.indices?.[1];
    if (!password) continue;
    const before = Math.max(lineStart, at - MAX_USER - 3);
    const scheme = content.slice(before, at).lastIndexOf('://');
    if (scheme === -1) continue;
    const userStart = before + scheme + 3;
    const user = USER.exec(content.slice(userStart, at));
    if (!user) continue;
    // What is left out: each default's `${NAME:-` and its `}`.
    const cuts: Cut[] = [];
    const userDefault = user.indices?.[1];
    if (userDefault) {
      cuts.push({ from: userStart, to: userStart + userDefault[0], closes: false });
      cuts.push({ from: at - 1, to: at, closes: true });
    }
    cuts.push({ from: at + 1, to: password[0], closes: false });
    cuts.push({ from: password[1], to: password[1] + 1, closes: true });
    found.push(withCuts(content, lineStart, lineEnd, cuts));
  }
  return found;
}

/**
 * content[start..end) without the cut spans (in order, within it), with each character's offset. A
 * cut that closes a default (its `}`) is read as part of the character after it, so that a value
 * the view ends before it ends, in the chunk, where the default does.
 */
function withCuts(content: string, start: number, end: number, cuts: readonly Cut[]): EscapedLine {
  let text = '';
  const offsets = new Int32Array(end - start + 1);
  let length = 0;
  let from = start;
  let closed = -1;
  for (const { from: cutStart, to: cutEnd, closes } of [...cuts, { from: end, to: end, closes: false }]) {
    text += content.slice(from, cutStart);
    for (let index = from; index < cutStart; index++)
      offsets[length++] = index === from && closed !== -1 ? closed : index;
    from = cutEnd;
    closed = closes ? cutStart : -1;
  }
  offsets[length] = end;
  return { text, offsets: offsets.subarray(0, length + 1) };
}
