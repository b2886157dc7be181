import { describe, expect, it } from 'vitest';
import {
  SECURITY_SEVERITY_SCORE,
  SEVERITIES,
  severityOfScore,
  type Severity,
} from '../../src/rules/types.js';
import { runCli } from '../helpers/cli.js';
import { awsAccessKeyId, awsSecretKey, githubToken } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

interface Descriptor {
  id: string;
  defaultConfiguration: { level: string };
  properties: { 'security-severity': string };
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  properties: { severity: Severity };
  locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
}

/** Each result with the descriptor its ruleIndex points at, as GitHub code scanning joins them. */
async function sarifOf(files: Record<string, string>) {
  const scan = await runCli(['scan', '.', '--format', 'sarif', '--no-config'], { cwd: makeTree(files) });
  expect(scan.exitCode, scan.stderr).toBe(1);
  const run = (
    JSON.parse(scan.stdout) as { runs: { tool: { driver: { rules: Descriptor[] } }; results: Result[] }[] }
  ).runs[0];
  const rules = run?.tool.driver.rules ?? [];
  return (run?.results ?? []).map((result) => ({ result, rule: rules[result.ruleIndex] }));
}

describe('SARIF severity', () => {
  it('maps every severity to a security-severity score that GitHub reads back as the same severity', () => {
    for (const severity of SEVERITIES)
      expect(severityOfScore(SECURITY_SEVERITY_SCORE[severity])).toBe(severity);
    expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0.1].map(severityOfScore)).toEqual([
      'critical',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'low',
    ]);
  });

  it('a paired AWS key, critical in the console, is critical in code scanning; a lone secret key stays high', async () => {
    const keyId = awsAccessKeyId(1901);
    const files = {
      'paired.env': `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${awsSecretKey(1902)}\n`,
      'lone.env': `AWS_SECRET_ACCESS_KEY=${awsSecretKey(1903)}\n`,
      'token.sh': `export GITHUB_TOKEN=${githubToken('ghp', 1904)}\n`,
    };
    const printed = await runCli(['scan', 'paired.env', '--no-config'], { cwd: makeTree(files) });
    expect(printed.stdout).toMatch(/^aws-secret-access-key .* \[critical\]$/m);
    const joined = await sarifOf(files);
    expect(joined).toHaveLength(3);
    for (const { result, rule } of joined) {
      // One scale: the result's own severity, its level, and the score of the rule GitHub reads.
      expect(rule?.id, result.ruleId).toBe(result.ruleId);
      expect(severityOfScore(Number(rule?.properties['security-severity'])), result.ruleId).toBe(
        result.properties.severity,
      );
      expect(rule?.defaultConfiguration.level).toBe(result.level);
    }
    const byFile = new Map(
      joined.map(({ result }) => [result.locations[0]?.physicalLocation.artifactLocation.uri, result]),
    );
    expect(byFile.get('paired.env')).toMatchObject({
      ruleId: 'aws-secret-access-key/critical',
      level: 'error',
    });
    expect(byFile.get('paired.env')?.properties.severity).toBe('critical');
    expect(byFile.get('lone.env')).toMatchObject({ ruleId: 'aws-secret-access-key', level: 'error' });
    expect(byFile.get('lone.env')?.properties.severity).toBe('high');
  });
});
