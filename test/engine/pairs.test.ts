import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { awsAccessKeyId, awsSecretKey } from '../helpers/tokens.js';
import { makeTree } from '../helpers/tree.js';

interface JsonFinding {
  ruleId: string;
  severity: string;
  line: number;
  secret: string;
  pairedWith?: { ruleId: string; line: number; secret: string };
}

async function scan(
  content: string,
  ...args: string[]
): Promise<{ findings: JsonFinding[]; stdout: string }> {
  const cwd = makeTree({ 'credentials.ini': content });
  const json = await runCli(['scan', '.', '-f', 'json', ...args], { cwd });
  const console = await runCli(['scan', '.', ...args], { cwd });
  return {
    findings: (JSON.parse(json.stdout) as { findings: JsonFinding[] }).findings,
    stdout: console.stdout,
  };
}

describe('paired credentials', () => {
  const id = awsAccessKeyId(1201);
  const secret = awsSecretKey(1202);

  it('an AWS key id and secret 3 lines apart are one critical finding that names both parts', async () => {
    const content = `[default]\naws_access_key_id = ${id}\nregion = eu-west-1\n\naws_secret_access_key = ${secret}\n`;
    const { findings, stdout } = await scan(content);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'aws-secret-access-key',
      severity: 'critical',
      line: 5,
      pairedWith: { ruleId: 'aws-access-key-id', line: 2 },
    });
    expect(findings[0]?.pairedWith?.secret).toBe(`${id.slice(0, 4)}${'*'.repeat(16)}`);
    expect(stdout).toContain(`= paired with: aws-access-key-id AKIA**************** at credentials.ini:2:21`);
    expect(stdout).not.toContain(id);
    const shown = await scan(content, '--no-redact');
    expect(shown.findings[0]?.pairedWith?.secret).toBe(id);
  });

  it('200 lines apart they stay two findings, each at its own severity', async () => {
    const content = `aws_access_key_id = ${id}\n${'# filler\n'.repeat(199)}aws_secret_access_key = ${secret}\n`;
    const { findings } = await scan(content);
    expect(findings.map(({ ruleId, severity, line }) => ({ ruleId, severity, line }))).toEqual([
      { ruleId: 'aws-access-key-id', severity: 'high', line: 1 },
      { ruleId: 'aws-secret-access-key', severity: 'high', line: 201 },
    ]);
    expect(findings.every((finding) => finding.pairedWith === undefined)).toBe(true);
  });

  it('pairs each secret with its nearest id when a file holds two profiles', async () => {
    const other = awsAccessKeyId(1203);
    const otherSecret = awsSecretKey(1204);
    const content = `[a]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\n[b]\naws_access_key_id = ${other}\naws_secret_access_key = ${otherSecret}\n`;
    const { findings } = await scan(content, '--no-redact');
    expect(findings.map((finding) => [finding.line, finding.pairedWith?.secret])).toEqual([
      [3, id],
      [6, other],
    ]);
  });
});
