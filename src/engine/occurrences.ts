import type { Finding } from './types.js';

/**
 * Reports each secret of a history scan once, at its first introduction, with the number of
 * commits and paths it appears in. Findings arrive newest commit first (git log order), each
 * commit's in path and line order, so a secret's oldest commit is the last it is seen in, and its
 * first place there is where it was introduced (the first copy when one commit adds several);
 * the result keeps git log order.
 */
export function collapseOccurrences(findings: readonly Finding[]): Finding[] {
  const groups = new Map<
    string,
    { oldest: Finding; index: number; commits: Set<string>; paths: Set<string> }
  >();
  findings.forEach((finding, index) => {
    // The secret itself, not the fingerprint: scoped fingerprints are shared by different values.
    const key = `${finding.ruleId}\0${finding.secret}`;
    const group = groups.get(key);
    if (group) {
      if (finding.commit?.sha !== group.oldest.commit?.sha) {
        group.oldest = finding;
        group.index = index;
      }
      group.commits.add(finding.commit?.sha ?? '');
      group.paths.add(finding.path);
    } else {
      groups.set(key, {
        oldest: finding,
        index,
        commits: new Set([finding.commit?.sha ?? '']),
        paths: new Set([finding.path]),
      });
    }
  });
  return [...groups.values()]
    .sort((a, b) => a.index - b.index)
    .map(({ oldest, commits, paths }) => ({
      ...oldest,
      occurrences: { commits: commits.size, paths: paths.size },
    }));
}
