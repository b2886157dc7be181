const digest16 = (...parts: string[]): string => {
  // Loaded on first use: node:crypto costs ~2.5 ms to load, and a clean pre-commit scan hashes nothing.
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
  parts.forEach((part, index) => {
    if (index > 0) hash.update('\0');
    hash.update(part);
  });
  return hash.digest('hex').slice(0, 16);
};

/**
 * Content-addressed identity of a finding: the rule id and a short hash of (rule id, secret).
 * It does not depend on path, line or commit, so it survives moves, re-indentation and rebases.
 */
export function fingerprint(ruleId: string, secret: string): string {
  return `${ruleId}:${digest16(ruleId, secret)}`;
}

/**
 * Identity of a guessable secret (a password) that does not reveal it: a hash of the rule id and
 * the match with the secret cut out and whitespace removed, e.g. `DB_PASSWORD="…"` hashes
 * `DB_PASSWORD=""`. It survives moves and re-indentation like a content fingerprint; ignore
 * entries and baselines pair it with the path, since the same name recurs across files.
 */
export function scopedFingerprint(
  ruleId: string,
  match: string,
  secret: string,
  secretOffset: number,
): string {
  const around = `${match.slice(0, secretOffset)}\u0001${match.slice(secretOffset + secret.length)}`;
  return `${ruleId}:s${digest16(ruleId, 'scoped', around.replace(/\s+/g, '')).slice(1)}`;
}

/** Scoped fingerprints carry an `s` after the colon; content ones are plain hex. */
export const isScopedFingerprint = (value: string): boolean => /:s[0-9a-f]{15}$/.test(value);
