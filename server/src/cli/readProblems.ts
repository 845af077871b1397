// What `scan` and `query` say on stderr about their input, and the exit status it implies: files that
// could not be read (2), damaged input (3: the results are partial), records skipped (noted only).
import type { LogSetResult } from '../auditlog/readLogSet';
import { cannotRead } from '../fileErrors';
import { printable } from './printable';

type Writable = { write(text: string): unknown };

export const EXIT_UNREADABLE = 2;
export const EXIT_DAMAGED = 3;

export interface ReadProblemOptions {
  /**
   * Also write each damaged line and a count of skipped records per file. Off when the report on
   * stdout already lists them (scan's text and JSON), so nothing is said twice.
   */
  details: boolean;
}

/** Writes the problems to `err`; returns 2 when a file could not be read, 3 when input was damaged, else 0. */
export function reportReadProblems(result: Pick<LogSetResult, 'errors' | 'summaries'>, stderr: Writable, options: ReadProblemOptions): number {
  const err = { write: (text: string) => stderr.write(printable(text)) };
  for (const error of result.errors) err.write(`k8s-audit: ${cannotRead(error.file, error.message)}\n`);
  const damaged = damagedFiles(result);
  if (options.details) {
    for (const summary of result.summaries) {
      for (const skip of summary.skipped) if (skip.damage) err.write(`k8s-audit: warning: ${summary.path}:${skip.line}: ${skip.reason}\n`);
      const ordinary = summary.skipped.filter((skip) => !skip.damage);
      const uncounted = summary.skippedCount - summary.skipped.length;
      if (ordinary.length > 0) {
        const n = ordinary.length + uncounted;
        err.write(`k8s-audit: ${summary.path}: ${n} record${n === 1 ? '' : 's'} skipped (line ${ordinary[0]!.line}: ${ordinary[0]!.reason}${n > 1 ? `, and ${n - 1} more` : ''})\n`);
      }
    }
  }
  if (damaged.length > 0) {
    err.write(`k8s-audit: warning: ${damaged.join(', ')} ${damaged.length === 1 ? 'was' : 'were'} damaged or not text; the results are partial (exit status ${EXIT_DAMAGED})\n`);
  }
  if (result.errors.length > 0) return EXIT_UNREADABLE;
  return damaged.length > 0 ? EXIT_DAMAGED : 0;
}

/** Files with damaged bytes or that are not text at all. */
export function damagedFiles(result: Pick<LogSetResult, 'summaries'>): string[] {
  return result.summaries.filter((summary) => summary.damaged).map((summary) => summary.path);
}
