// Inputs on which a reader with the field scanner is held to the JSON.parse path (streamingScanner and
// the simulation sample's tests): a generated log cut into a rotated plain + gzip pair, damaged files,
// and pairs of fuzzed logs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { fixtureLogs, FIXTURES } from '../../helpers';
import { generateLog } from '../index/helpers';
import { fuzzLog } from './fuzzLog';

/** A generated log of `requests` requests as two files, older plain and newer gzip, a request's stages split between them. */
export function rotatedPair(dir: string, requests: number, seed: number): string[] {
  const file = join(dir, 'generated.log');
  generateLog(file, requests, seed);
  const lines = readFileSync(file, 'utf8').split('\n');
  const half = Math.floor(lines.length / 2);
  const older = join(dir, 'older.log');
  const newer = join(dir, 'newer.log.gz');
  writeFileSync(older, `${lines.slice(0, half).join('\n')}\n`);
  writeFileSync(newer, gzipSync(lines.slice(half).join('\n')));
  return [older, newer];
}

/** A truncated .gz, a binary file, odd records of the fixtures, and (last) a file that does not exist. */
export function damagedLogs(dir: string): string[] {
  const file = join(dir, 'damaged.log');
  generateLog(file, 800, 9);
  const gz = gzipSync(readFileSync(file));
  const truncated = join(dir, 'damaged.log.gz');
  writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length / 2)));
  const binary = join(dir, 'program.log');
  writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, ...Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)]));
  return [truncated, binary, join(FIXTURES, 'logs', 'scan-sample.jsonl'), join(FIXTURES, 'workspace', 'hostile.audit.log'), join(dir, 'missing.log')];
}

/** Checks `check` on 100 pairs of fuzzed logs (requests whose stages are in both are grouped across them) and scanner sizes. */
export async function checkFuzzedPairs(dir: string, check: (paths: string[], capacity: number) => Promise<unknown>): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fuzzLog, fuzzLog, fc.integer({ min: 64, max: 4096 }), async (first, second, capacity) => {
      const a = join(dir, `fuzz-${run}-a.log`);
      const b = join(dir, `fuzz-${run++}-b.log`);
      writeFileSync(a, first);
      writeFileSync(b, second);
      await check([a, b], capacity);
    }),
    { numRuns: 100 },
  );
}

/** Checks `check` on every fixture log in one read, with a scanner of 1 MiB and with one shorter than many lines. */
export async function checkFixtureLogs(check: (paths: string[], capacity: number, label: string) => Promise<unknown>): Promise<void> {
  const files = fixtureLogs();
  await check(files, 1 << 20, 'fixtures');
  await check(files, 600, 'fixtures, small scanner');
}
