import type { MaskedFinding } from './redact.js';

/** Marks text left out of a quoted line: on either side of the window, or at the end of a cut secret. */
export const ELLIPSIS = '…';

/** A quoted line in three parts, so that a caret can go under the secret. */
export interface LineParts {
  before: string;
  secret: string;
  after: string;
}

/** Where a quoted line must fit, and what is already missing from it. */
export interface WindowOptions {
  /** Most characters the quoted line may take. */
  width: number;
  /** The text starts after the start of its line (the engine clipped it): it is marked on the left. */
  clippedLeft?: boolean;
  /** The line goes on after the text: it is marked on the right. */
  clippedRight?: boolean;
  /**
   * Characters that follow the secret's end on the line below the quote (a space and the masked
   * secret after the caret): the window keeps the secret's end that far from the right edge,
   * when that leaves room for context.
   */
  reserve?: number;
}

/** Narrowest window: room for a short secret and a few characters on each side. */
const MIN_WIDTH = 24;
/** Characters of the line before a secret that a window keeps for a secret to be shown whole. */
const MIN_CONTEXT = 8;

/** Is the code unit a high (leading) surrogate, whose pair a cut after it would split? */
const isHighSurrogate = (text: string, index: number): boolean => {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff;
};

/** The first `count` code units of `text`, one fewer rather than half a surrogate pair. */
function head(text: string, count: number): string {
  if (count <= 0) return '';
  return text.slice(0, isHighSurrogate(text, count - 1) ? count - 1 : count);
}

/** The last `count` code units of `text`, one fewer rather than half a surrogate pair. */
function tail(text: string, count: number): string {
  if (count <= 0) return '';
  const start = text.length - count;
  return text.slice(start > 0 && isHighSurrogate(text, start - 1) ? start + 1 : start);
}

/**
 * Cuts a quoted line to a window of at most `width` characters around its secret: the secret keeps
 * its start (a masked secret shows its prefix) and ends in `…` when it does not fit; the text on each side is shortened towards the secret, with `…` where it was cut or where
 * the line was already clipped. Parts are cut by UTF-16 code unit, never inside a surrogate pair.
 */
export function fitLine(parts: LineParts, options: WindowOptions): LineParts {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width));
  const left = options.clippedLeft === true ? ELLIPSIS : '';
  const right = options.clippedRight === true ? ELLIPSIS : '';
  // A reserve larger than a third of the width (an unredacted long secret) would leave no
  // context: the line below then runs past the width instead.
  const reserve = Math.min(options.reserve ?? 0, Math.floor(width / 3));
  const whole = left.length + parts.before.length + parts.secret.length + parts.after.length + right.length;
  if (whole <= width && left.length + parts.before.length + parts.secret.length + reserve <= width) {
    return { before: left + parts.before, secret: parts.secret, after: parts.after + right };
  }
  // A secret that fits with a little context before it is shown whole; a longer one by its start,
  // in half the width, so that the line around it still shows.
  const secret =
    parts.secret.length <= width - reserve - MIN_CONTEXT
      ? parts.secret
      : head(parts.secret, Math.floor(width / 2) - ELLIPSIS.length) + ELLIPSIS;
  const room = width - secret.length;
  const beforeWhole = left.length + parts.before.length;
  const afterWhole = parts.after.length + right.length;
  // Half the room on each side, what one side does not need going to the other; the left side
  // never pushes the secret's end into the reserve.
  const leftRoom = Math.max(
    0,
    Math.min(beforeWhole, room - reserve, Math.max(Math.floor(room / 2), room - afterWhole)),
  );
  const rightRoom = Math.min(afterWhole, room - leftRoom);
  const before =
    leftRoom >= beforeWhole
      ? left + parts.before
      : leftRoom === 0
        ? ''
        : ELLIPSIS + tail(parts.before, leftRoom - ELLIPSIS.length);
  const after =
    rightRoom >= afterWhole
      ? parts.after + right
      : rightRoom === 0
        ? ''
        : head(parts.after, rightRoom - ELLIPSIS.length) + ELLIPSIS;
  return { before, secret, after };
}

/** Longest line text the JSON and SARIF reports quote: more than a terminal shows, but bounded. */
export const MAX_REPORTED_LINE = 400;

/** `text` cut to at most `max` characters, ending in `…` when cut (never inside a surrogate pair). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : head(text, max - ELLIPSIS.length) + ELLIPSIS;
}

/** A finding's (masked) line text split at its secret; a secret that goes on to later lines runs to the end. */
export function lineParts(finding: MaskedFinding): LineParts {
  const text = finding.lineText.replace(/\r?\n$/, '');
  const start = finding.column - finding.lineTextColumn;
  const end = finding.endLine === finding.line ? finding.endColumn - finding.lineTextColumn : text.length;
  return { before: text.slice(0, start), secret: text.slice(start, end), after: text.slice(end) };
}

/**
 * The line text a machine-readable report quotes: as the engine gave it when it is short enough,
 * else a window of MAX_REPORTED_LINE characters around the secret with `…` marks.
 */
export function reportedLineText(finding: MaskedFinding): string {
  if (finding.lineText.length <= MAX_REPORTED_LINE) return finding.lineText;
  const { before, secret, after } = fitLine(lineParts(finding), {
    width: MAX_REPORTED_LINE,
    clippedLeft: finding.lineTextColumn > 1,
    clippedRight: finding.lineContinues === true,
  });
  return before + secret + after;
}
