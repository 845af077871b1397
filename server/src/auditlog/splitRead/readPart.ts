import { AuditStreamParser } from '../reader/auditStreamParser';
import { FieldScanner } from '../reader/fieldScanner';
import { RequestGrouper } from '../requests';
import { segmentSource } from '../index/segmentSource';
import { encodeHeld } from './heldRequests';
import type { PartEnd, PartJob, PartSink } from './partProtocol';
import { StartedIds } from './startedIds';

const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads one part of a file as readLogSet reads a file (the same parser, field scanner and grouper),
 * handing each request the part completes to `sink`; `send` gets the sink's batches. The requests
 * still open at the part's end are held back (PartEnd.held): the owning thread finishes them. A part
 * after the first records the auditIDs that start requests, so that the owning thread can tell which
 * requests of the part before it continued.
 */
export async function readPart(
  job: PartJob,
  sink: PartSink,
  send: (data: Uint8Array) => void,
  /** Resolves when the batches sent so far are few enough to read on. */
  ready: () => Promise<void> | null,
): Promise<PartEnd> {
  const scanner = FieldScanner.create(job.fieldScannerInputBytes);
  const first = job.start === 0;
  const starts = first ? null : new StartedIds();
  let requests = 0;
  const grouper = new RequestGrouper(
    (request) => {
      requests++;
      sink.add(request);
    },
    starts ? (event) => starts.add(event) : null,
  );
  const base = job.start;
  const parser = new AuditStreamParser(
    (event) => {
      event.offset += base;
      grouper.add(event);
    },
    {
      file: job.file,
      atFileStart: first,
      // A later part starts at a line of JSON (planSegments): the file's framing, not sniffed again from a line.
      ...(first ? {} : { framing: 'lines' as const }),
      ...(scanner ? { scan: { scanner, beforeScan: () => grouper.keepHeld() } } : {}),
    },
  );
  const flush = (final: boolean) => {
    const data = sink.take(final);
    if (data) send(data);
  };
  for await (const chunk of segmentSource(job.path, job.start, job.end, false, CHUNK_BYTES).chunks) {
    parser.push(chunk);
    flush(false);
    const waiting = ready();
    if (waiting) await waiting;
  }
  const summary = parser.end();
  const held = encodeHeld(grouper.takeOpen());
  flush(true);
  return {
    summary: { ...summary, skipped: summary.skipped.map((s) => ({ ...s, offset: s.offset >= 0 ? s.offset + base : s.offset })) },
    newlines: parser.lineBreaks()?.count ?? 0,
    requests,
    held,
    starts: starts?.encode() ?? null,
  };
}
