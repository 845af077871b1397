import { join } from 'node:path';
import type { SplitConsumer } from '../auditlog/splitRead/partProtocol';
import type { SplitRead } from '../auditlog/splitRead/readSplitFile';
import type { QueryWork } from './queryPart';
import type { ScanWork } from './scanPart';

/**
 * readLogSet's `split` option for scan and query: a big plain file is read in two parts by
 * dist/splitWorker.js (cli/splitWorker.ts from source). K8S_AUDIT_SPLIT_MIN_BYTES sets the size
 * from which a file is cut (default 32 MiB; for tests, which compare cut and uncut reads of small logs).
 */
export function splitRead(work: ScanWork | QueryWork, consumer: SplitConsumer): SplitRead {
  const minBytes = Number(process.env.K8S_AUDIT_SPLIT_MIN_BYTES);
  return {
    script: { bundled: join(__dirname, 'splitWorker.js'), source: join(__dirname, 'splitWorker.ts') },
    work,
    consumer,
    ...(process.env.K8S_AUDIT_SPLIT_MIN_BYTES && !Number.isNaN(minBytes) ? { minBytes } : {}),
  };
}
