// Worker thread entry of `k8s-audit scan` and `query` on a big file: reads one part of it
// (auditlog/splitRead/). Bundled on its own (dist/splitWorker.js); from source loaded through tsx.
import { servePart } from '../auditlog/splitRead/partWorker';
import { queryPartSink, type QueryWork } from './queryPart';
import { scanPartSink, type ScanWork } from './scanPart';

servePart((work, job) => {
  const command = work as ScanWork | QueryWork;
  return command.command === 'scan' ? scanPartSink(command, job.path) : queryPartSink(command);
});
