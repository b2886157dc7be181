import { describe, expect, it } from 'vitest';
import { builtinRuleSet, scanText } from '../helpers/catalogue.js';

const ruleSet = await builtinRuleSet();

/** The rule ids and secrets a scan of `content` at `path` reports. */
const found = (content: string, path = 'config/.env') =>
  scanText(ruleSet, content, path).map((finding) => [finding.ruleId, finding.secret]);

describe('placeholder words', () => {
  it.each([
    ['qk7', 'ToDo9Lx2mWv4R'],
    ['mRto', 'doz83KqL1pXa'],
    ['ZtOD', 'OV#^2124dFZw'],
    ['qk7', 'Test9Lx2mWv4R'],
    ['qk7', 'FixMe9Lx2mWv4R'],
    ['Con', 'test2024!'],
  ])('reports a password that holds a placeholder word inside random text: %s%s', (head, tail) => {
    const password = head + tail;
    expect(found(`DB_PASSWORD=${password}\n`)).toEqual([['generic-password', password]]);
  });

  it.each([
    'TODO',
    'todo_change_me',
    'your-test-key',
    'sampleToken',
    '<todo>',
    'test123',
    'FIXME-later',
    'mock.value',
  ])('drops a placeholder word that stands as a word of the value: %s', (value) => {
    expect(found(`DB_PASSWORD=${value}\n`)).toEqual([]);
  });
});
