import { basename } from 'node:path';
import type { ViewerReadWarning } from '../../protocol/logViewer';
import type { ReadError } from '../index/logIndex';
import type { SkippedRecord } from '../reader/auditStreamParser';
import { FILE_NOT_READ } from '../reader/notText';

/**
 * What the viewer says about input it could not read whole, one sentence each: unlike an odd record
 * (listed under "skipped lines"), these mean the rows shown are partial, or that nothing could be shown.
 * `damaged`: the skipped records marked as damage, in file order; `damagedCount` counts those only
 * counted too (binary lines past the kept details).
 */
export function readWarnings(errors: readonly ReadError[], damaged: readonly SkippedRecord[], damagedCount: number): ViewerReadWarning[] {
  const warnings: ViewerReadWarning[] = errors.map((error) => ({ kind: 'unreadable', message: `${basename(error.file)} could not be read: ${error.message}.` }));
  const binaryLines = damaged.filter((record) => record.damage === 'binary-line');
  for (const record of damaged) {
    const { line, reason } = record;
    switch (record.damage) {
      case 'gzip-ends-early':
        warnings.push({ kind: record.damage, line, message: `The gzip data ends early at line ${line}: the rest of the file could not be read.` });
        break;
      case 'gzip-corrupt':
        warnings.push({ kind: record.damage, line, message: `The gzip data is damaged at line ${line}: the rest of the file could not be read.` });
        break;
      case 'not-text':
        warnings.push({ kind: record.damage, message: `This file was not read: ${reason.endsWith(FILE_NOT_READ) ? reason.slice(0, -FILE_NOT_READ.length) : reason}.` });
        break;
    }
  }
  // Binary lines: one warning for all of them (a crash can leave many), at the first.
  const first = binaryLines[0];
  if (first) {
    const lines = damagedCount - (damaged.length - binaryLines.length);
    const message =
      lines <= 1
        ? `Line ${first.line} holds ${first.reason}: it was skipped, the rest was read.`
        : `${lines.toLocaleString('en-US')} lines hold binary data and were skipped, the first at line ${first.line}; the rest was read.`;
    warnings.push({ kind: 'binary-line', line: first.line, message });
  }
  return warnings;
}
