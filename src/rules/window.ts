/**
 * The window a rule's regex implies when it has none: rules shaped `(?<![\w.-])[\w.-]{0,N}?` followed
 * by a keyword (or by a group each of whose alternatives starts with a keyword) cannot match more
 * than N characters before a keyword, so the engine may try them only there instead of over the
 * whole chunk. Anything else has no implied window and runs over the chunk.
 */
const NAME_PREFIX = /^\(\?<!\[\\w\.-\]\)\[\\w\.-\]\{0,(\d+)\}\?/;

/** Top-level alternatives of the group that starts `source` at `(?:`, or undefined if unbalanced. */
function alternatives(source: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 3;
  for (let index = 3; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      index++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') {
      if (depth === 0) {
        parts.push(source.slice(start, index));
        return parts;
      }
      depth--;
    } else if (char === '|' && depth === 0) {
      parts.push(source.slice(start, index));
      start = index + 1;
    }
  }
  return undefined;
}

const startsWithKeyword = (text: string, keywords: readonly string[]) =>
  keywords.some((keyword) => /^[\w-]+$/.test(keyword) && text.toLowerCase().startsWith(keyword));

export function impliedWindow(regex: string, keywords: readonly string[]): number | undefined {
  const prefix = NAME_PREFIX.exec(regex);
  if (!prefix || keywords.length === 0) return undefined;
  const rest = regex.slice(prefix[0].length);
  if (startsWithKeyword(rest, keywords)) return Number(prefix[1]);
  if (!rest.startsWith('(?:')) return undefined;
  const options = alternatives(rest);
  return options?.every((option) => startsWithKeyword(option, keywords)) ? Number(prefix[1]) : undefined;
}
