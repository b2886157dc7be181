import { describe, expect, it } from 'vitest';
import { tarOf, zipOf, type ZipEntrySpec } from '../helpers/archives.js';
import { githubToken } from '../helpers/tokens.js';
import { runBin, runBinWithPeakRss, runCli } from '../helpers/cli.js';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { commit, git, makeGitRepo, makeTree } from '../helpers/tree.js';

interface Report {
  findings: { ruleId: string; path: string; line: number }[];
  summary: { files: number; skipped: { path: string; reason: string }[] };
}

async function timedScan(cwd: string, ...args: string[]): Promise<Report & { ms: number; exitCode: number }> {
  const started = Date.now();
  const result = await runCli(['scan', '.', '--format', 'json', ...args], { cwd });
  expect(result.stderr).toBe('');
  return { ms: Date.now() - started, exitCode: result.exitCode, ...(JSON.parse(result.stdout) as Report) };
}

const skips = (report: Report) => report.summary.skipped.map((s) => `${s.path}: ${s.reason}`);

const END_RECORD = 22;

/** The zip with its end record claiming `count` entries in a directory at `offset`, and `comment` after it. */
function withEndRecord(
  zip: Uint8Array,
  count: number,
  offset: number,
  comment: Uint8Array = Buffer.alloc(0),
): Buffer {
  const end = Buffer.from(zip.subarray(zip.length - END_RECORD));
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([zip.subarray(0, zip.length - END_RECORD), end, comment]);
}

/** A central record of a stored entry named `name` whose local header is at `offset`. */
function centralRecord(name: string, offset: number, size = 0): Buffer {
  const record = Buffer.alloc(46 + name.length);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt32LE(size, 20);
  record.writeUInt32LE(size, 24);
  record.writeUInt16LE(name.length, 28);
  record.writeUInt32LE(offset, 42);
  record.write(name, 46);
  return record;
}

describe('hostile archives', () => {
  it('does not inflate one shared entry once per central record (overlapping entries)', async () => {
    const nul = Buffer.alloc(4 * 1024 * 1024);
    const entries: ZipEntrySpec[] = [{ name: 'e0', data: nul }];
    for (let index = 1; index < 20_000; index++)
      entries.push({ name: `e${index}`, data: nul, sharesWith: 0 });
    const report = await timedScan(makeTree({ 'bomb.zip': zipOf(entries) }));
    expect(report.ms).toBeLessThan(8_000);
    expect(skips(report)).toEqual(['bomb.zip: unreadable zip archive (its entries overlap)']);
  });

  it('inflates no more than the first bytes of a binary entry to tell it is binary', async () => {
    // Each entry's first compressed bytes expand a thousandfold: 7,000 of them are gigabytes.
    const nul = Buffer.alloc(600 * 1024);
    const entries: ZipEntrySpec[] = [];
    for (let index = 0; index < 7_000; index++) entries.push({ name: `e${index}`, data: nul });
    const bomb = zipOf(entries);
    expect(bomb.length).toBeLessThan(5 * 1024 * 1024);
    const report = await timedScan(makeTree({ 'bomb.zip': bomb }));
    expect(report.ms).toBeLessThan(3_000);
    expect(report.summary.files).toBe(1);
    // Read whole, NUL bytes spend the budget: the archive is listed, not passed.
    expect(skips(report)).toEqual([
      'bomb.zip: expands past 67108864 bytes: the rest of its entries were not scanned',
    ]);
  });

  it('reads a pax header in one pass, whatever its records claim', async () => {
    // Each record claims to be one byte long: a reader that looks for the next space from each
    // byte reads the megabyte half a million times.
    const pax = `${'1+'.repeat(500_000)} path=x\n`;
    const report = await timedScan(
      makeTree({
        'slow.tar': tarOf([
          { name: 'PaxHeader', data: pax, type: 'x' },
          { name: 'a.env', data: 'x\n' },
        ]),
      }),
    );
    expect(report.ms).toBeLessThan(3_000);
  });

  it('reads pax records by their length in bytes, names in any script', async () => {
    const name = 'configuración/señal/.env';
    const record = (key: string, value: string) => {
      const body = ` ${key}=${value}\n`;
      let length = Buffer.byteLength(body) + 1;
      if (String(length).length + Buffer.byteLength(body) !== length) length += 1;
      return `${length}${body}`;
    };
    const tar = tarOf([
      { name: 'PaxHeader', data: record('path', name) + record('mtime', '1700000000'), type: 'x' },
      { name: 'cut-name', data: `T=${githubToken('ghp', 80)}\n` },
    ]);
    const report = await timedScan(makeTree({ 'home.tar': tar }));
    expect(report.findings.map((f) => f.path)).toEqual([`home.tar!${name}`]);
  });

  it('names an entry inside its archive, whatever dot segments its name holds', async () => {
    const secret = (seed: number) => `T=${githubToken('ghp', seed)}\n`;
    const dir = makeTree({
      'src/index.ts': 'export {};\n',
      'evil.zip': zipOf([
        { name: '../../src/index.ts', data: secret(81) },
        { name: './a/./../../../../../tmp/x.env', data: secret(82) },
      ]),
      'evil.tar': tarOf([{ name: '../../../etc/y.env', data: secret(83) }]),
    });
    const report = await timedScan(dir);
    expect(report.findings.map((f) => f.path).sort()).toEqual([
      'evil.tar!etc/y.env',
      'evil.zip!a/tmp/x.env',
      'evil.zip!src/index.ts',
    ]);
    const sarif = await runCli(['scan', '.', '--format', 'sarif'], { cwd: dir });
    const uris = (
      JSON.parse(sarif.stdout) as {
        runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
      }
    ).runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri);
    expect(uris?.sort()).toEqual(['evil.tar!etc/y.env', 'evil.zip!a/tmp/x.env', 'evil.zip!src/index.ts']);
  });

  it('counts the files of a .tar.gz once against its budget, not as the tar and again as its files', async () => {
    const text = 'const answer = compute(input) + offset; // nothing here\n'.repeat(80_000);
    const files = [];
    for (let index = 0; index < 8; index++) files.push({ name: `home/f${index}.ts`, data: text });
    files.push({ name: 'home/.env', data: `T=${githubToken('ghp', 84)}\n` });
    const report = await timedScan(makeTree({ 'home.tar.gz': gzipSync(tarOf(files)) }));
    expect(report.summary.skipped).toEqual([]);
    expect(report.findings.map((f) => f.path)).toEqual(['home.tar.gz!home/.env']);
  });

  it('lists a sparse file of a tar, which it cannot read, instead of passing over it', async () => {
    const tar = tarOf([{ name: 'db/dump.sql', data: `T=${githubToken('ghp', 85)}\n`, type: 'S' }]);
    const report = await timedScan(makeTree({ 'backup.tar': tar }));
    expect(skips(report)).toEqual([
      'backup.tar!db/dump.sql: sparse file in a tar archive, which keyfence cannot read',
    ]);
  });

  it('lists a zip whose central directory leaves out entries a stream reader would find', async () => {
    const zip = zipOf([
      { name: 'README.md', data: 'nothing here\n' },
      { name: 'app.properties', data: `gh=${githubToken('ghp', 86)}\n`, hidden: true },
      { name: 'NOTICE', data: 'nothing either\n' },
    ]);
    const report = await timedScan(makeTree({ 'app.jar': zip }));
    expect(skips(report)).toEqual([
      'app.jar: holds entries its central directory does not list: they were not scanned',
    ]);
  });

  it('lists a zip whose end record claims no entries, or points at a directory of its own', async () => {
    const zip = zipOf([{ name: 'app.properties', data: `gh=${githubToken('ghp', 87)}\n` }]);
    // A second end record in the first one's comment: found first, searching from the end.
    const fake = withEndRecord(zip.subarray(zip.length - END_RECORD), 0, 0);
    const report = await timedScan(
      makeTree({
        'none.jar': withEndRecord(zip, 0, 0),
        'comment.jar': withEndRecord(zip, 1, zip.indexOf(Buffer.from([0x50, 0x4b, 1, 2])), fake),
      }),
    );
    expect(skips(report).sort()).toEqual([
      'comment.jar: holds entries its central directory does not list: they were not scanned',
      'none.jar: holds entries its central directory does not list: they were not scanned',
    ]);
  });

  it('looks for unlisted entries in one pass, however many entries the directory lists', async () => {
    // Tens of thousands of records pointing at bytes with no local header after them: a search
    // that starts again from each entry to the end of the archive reads it once per record.
    const first = zipOf([{ name: 'a', data: 'x', method: 0 }]);
    const locals = first.subarray(0, first.indexOf(Buffer.from([0x50, 0x4b, 1, 2])));
    const count = 50_000;
    const filler = Buffer.alloc(count * 31, 'A');
    const records = [centralRecord('a', 0, 1)];
    for (let index = 1; index < count; index++) records.push(centralRecord('b', locals.length + index * 31));
    const directory = Buffer.concat(records);
    const end = Buffer.alloc(END_RECORD);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(locals.length + filler.length, 16);
    const zip = Buffer.concat([locals, filler, directory, end]);
    expect(zip.length).toBeLessThan(5 * 1024 * 1024);
    const report = await timedScan(makeTree({ 'many.zip': zip }));
    expect(report.ms).toBeLessThan(8_000);
    expect(skips(report)).toContain('many.zip!b: unreadable archive entry (damaged local header)');
  }, 60_000);

  it('spends the budget on entries that fail to inflate, which hold their memory until the scan yields', () => {
    // Each .gz inflates 15 MB, then fails its checksum: a zlib stream that failed is freed on the
    // event loop's next turn, and none comes while one archive's entries are read.
    const gz = gzipSync(Buffer.alloc(15 * 1024 * 1024, 'a'));
    gz.writeUInt32LE(~gz.readUInt32LE(gz.length - 8) >>> 0, gz.length - 8);
    const zip = zipOf(
      Array.from({ length: 60 }, (_, index) => ({
        name: `${index}.gz`,
        data: gz,
        method: 0 as const,
      })),
    );
    const result = runBinWithPeakRss(['scan', '.', '--format', 'json', '--workers', '0'], {
      cwd: makeTree({ 'logs.zip': zip }),
    });
    expect(result.exitCode).toBe(0);
    expect(result.rssMb).toBeLessThan(256);
    const listed = skips(JSON.parse(result.stdout) as Report);
    // Each damaged gzip is read only up to --max-file-size, so it is listed as too large.
    expect(listed[0]).toBe('logs.zip!0.gz: larger than --max-file-size (15728640 > 5242880 bytes)');
    expect(listed.at(-1)).toBe(
      'logs.zip: expands past 67108864 bytes: the rest of its entries were not scanned',
    );
  }, 60_000);

  it('lists an archive whose entries stop when an archive inside it spends the budget', async () => {
    const text = 'const answer = compute(input) + offset; // nothing here\n'.repeat(20_000);
    const inner = zipOf(
      Array.from({ length: 80 }, (_, index) => ({
        name: `f${index}.ts`,
        data: text,
      })),
    );
    const outer = zipOf([
      { name: 'inner.zip', data: inner },
      { name: 'after.env', data: `T=${githubToken('ghp', 88)}\n` },
    ]);
    const report = await timedScan(makeTree({ 'outer.zip': outer }));
    expect(skips(report)).toEqual([
      'outer.zip!inner.zip: expands past 67108864 bytes: the rest of its entries were not scanned',
      'outer.zip: expands past 67108864 bytes: the rest of its entries were not scanned',
    ]);
  });

  it('lists a zip directory entry that holds data, which unzip would drop and a stream reader would read', async () => {
    const zip = zipOf([
      { name: 'config/', data: '' },
      { name: 'secrets.env/', data: `T=${githubToken('ghp', 92)}\n` },
    ]);
    const report = await timedScan(makeTree({ 'app.jar': zip }));
    expect(skips(report)).toEqual([
      'app.jar!secrets.env/: directory entry that holds data, which keyfence does not read',
    ]);
  });

  it('reads a tar entry of a type it does not know as a file, as tar unpacks it', async () => {
    const tar = tarOf([
      { name: 'vendor.env', data: `T=${githubToken('ghp', 89)}\n`, type: 'Q' },
      { name: 'link', data: '', type: '2' },
      { name: 'file.env', data: `T=${githubToken('ghp', 90)}\n`, type: '0' },
    ]);
    const report = await timedScan(makeTree({ 'backup.tar': tar }));
    expect(report.findings.map((f) => f.path).sort()).toEqual([
      'backup.tar!file.env',
      'backup.tar!vendor.env',
    ]);
    expect(report.summary.skipped).toEqual([]);
  });

  it('lists a tar with data after the end of its entries (tar --ignore-zeros unpacks it)', async () => {
    const hidden = tarOf([{ name: 'hidden.env', data: `T=${githubToken('ghp', 91)}\n` }]);
    const tar = Buffer.concat([tarOf([{ name: 'README', data: 'nothing\n' }]), hidden]);
    const report = await timedScan(
      makeTree({ 'two.tar': tar, 'padded.tar': Buffer.concat([hidden, Buffer.alloc(10240)]) }),
    );
    expect(report.findings.map((f) => f.path)).toEqual(['padded.tar!hidden.env']);
    expect(skips(report)).toEqual([
      'two.tar: holds data after the end of its entries (tar --ignore-zeros would unpack it): it was not scanned',
    ]);
  });

  describe.runIf(existsSync('/usr/bin/time'))('memory', () => {
    const text = 'const answer = compute(input) + offset; // password nothing here\n'.repeat(15_000);
    const files: Record<string, string> = {};
    for (let index = 0; index < 60; index++) files[`src/f${index}.ts`] = text;
    const zip = () => zipOf(Object.entries(files).map(([name, data]) => ({ name, data })));
    const peak = (dir: string, ...args: string[]): number => {
      const result = runBin(['scan', ...args, '--workers', '0', '--format', 'json'], {
        cwd: dir,
        prefix: ['/usr/bin/time', '-f', '%M'],
      });
      expect(result.exitCode).toBe(0);
      expect((JSON.parse(result.stdout) as Report).summary.skipped).toEqual([]);
      return Number(result.stderr.trim().split('\n').pop()) * 1024;
    };
    // 55 MB of text: as files or as one zip's entries, the scan's peak is about the same.
    const slack = 48 * 1024 * 1024;

    it('holds one entry of an archive at a time, not all it expands to', () => {
      const [a, b] = [peak(makeTree({ 'sources.zip': zip() }), '.'), peak(makeTree(files), '.')];
      expect(a).toBeLessThan(b + slack);
    }, 60_000);

    it('holds one entry at a time in history, staged and stdin scans too', () => {
      const unpacked = makeGitRepo(files);
      commit(unpacked, 'files');
      const packed = makeGitRepo({ 'sources.zip': zip() });
      git(packed, 'add', '.');
      const baseline = peak(unpacked, '--history');
      console.log('base', baseline, peak(packed, '--staged'));
      expect(peak(packed, '--staged')).toBeLessThan(baseline + slack);
      commit(packed, 'zip');
      expect(peak(packed, '--history')).toBeLessThan(baseline + slack);
    }, 90_000);
  });

  it('reads a gzip of one file only up to --max-file-size, and a gzip of a tar whole', () => {
    // 63 MB of JSON in 190 KB: inflated whole, it took 183 MB before being listed as too large.
    const row = '{"name": "value", "count": 12345, "flag": true},\n';
    const big = gzipSync(row.repeat(Math.floor((63 * 1024 * 1024) / row.length)), { level: 9 });
    const token = githubToken('ghp', 88);
    const tree = makeTree({
      'dump.json.gz': big,
      'small.env.gz': gzipSync(`GITHUB_TOKEN=${token}\n`),
      'backup.gz': gzipSync(tarOf([{ name: 'app/.env', data: `GITHUB_TOKEN=${token}\n` }])),
    });
    const result = runBinWithPeakRss(['scan', '.', '--format', 'json', '--workers', '0'], { cwd: tree });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(skips(report)).toEqual([
      `dump.json.gz: larger than --max-file-size (${63 * 1024 * 1024 - ((63 * 1024 * 1024) % row.length)} > 5242880 bytes)`,
    ]);
    expect(report.findings.map((finding) => finding.path).sort()).toEqual([
      'backup.gz!app/.env',
      'small.env.gz!small.env',
    ]);
    // 181 MB before; 63 MB after, 133 MB on a run that also compiled and wrote the code cache.
    expect(result.rssMb).toBeLessThan(160);
  }, 60_000);
});
