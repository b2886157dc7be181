const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A file name's bytes as a string to report, and whether it had to be escaped (then the string
 * cannot be used to open the file). A UTF-8 name, as nearly all are, is itself; in any other, each
 * byte that is not part of a UTF-8 character is shown as `\xNN` and each backslash as `\\`, so
 * that every byte of the name can be read back from the report.
 */
export function fileName(bytes: Uint8Array): { name: string; escaped: boolean } {
  try {
    return { name: strictUtf8.decode(bytes), escaped: false };
  } catch {
    return { name: escapeInvalid(bytes), escaped: true };
  }
}

/** Length of the UTF-8 sequence a lead byte starts (1 for ASCII), or 0 for a byte that cannot lead one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function escapeInvalid(bytes: Uint8Array): string {
  let out = '';
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes[at] as number);
    if (length > 0 && at + length <= bytes.length) {
      try {
        const char = strictUtf8.decode(bytes.subarray(at, at + length));
        out += char === '\\' ? '\\\\' : char;
        at += length;
        continue;
      } catch {
        // Not a whole character: the lead byte is escaped and the next byte tried on its own.
      }
    }
    out += `\\x${(bytes[at] as number).toString(16).toUpperCase().padStart(2, '0')}`;
    at++;
  }
  return out;
}
