/**
 * A copy of `text` that does not hold on to the string it was cut from. V8 makes a slice of 13 or
 * more characters a view of its parent: a finding's secret or line kept the whole 5 MB file (or a
 * history's 64 KB piece of git log output, a path) alive for as long as the finding lived, and a
 * scan of forty 5 MB files with findings held them all (BENCHMARKS.md). Joining a character to
 * the front and slicing it off makes V8 copy the text out first.
 */
export const detached = (text: string): string => (text.length < 13 ? text : (' ' + text).slice(1));
