import { looksLikeEvent, normalizeEvent, type NormalizedEvent } from '../../auditlog/normalizedEvent';

/** A webhook POST that is not an audit EventList: answered 400 with this message, nothing written. */
export class BadBatch extends Error {}

/**
 * kube-apiserver's webhook backend POSTs `audit.k8s.io/v1` EventList objects. The whole batch is
 * checked before any of it is written: one bad item refuses the batch.
 */
export function parseEventList(body: Buffer): NormalizedEvent[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BadBatch(`body is not JSON: ${(error as Error).message}`);
  }
  if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) throw new BadBatch('body is not an EventList object');
  const list = decoded as Record<string, unknown>;
  if (list.kind !== undefined && list.kind !== 'EventList') throw new BadBatch(`kind is ${JSON.stringify(list.kind)}, expected "EventList"`);
  if (!Array.isArray(list.items)) throw new BadBatch('EventList has no "items" array');
  return list.items.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new BadBatch(`items[${i}] is not an object`);
    const event = item as Record<string, unknown>;
    if (!looksLikeEvent(event)) throw new BadBatch(`items[${i}] is not an audit Event (no auditID, verb, requestURI or stage)`);
    return normalizeEvent(event, 'k8s-eventlist', { file: 0, line: 0, offset: 0 });
  });
}
