import type { AuditRequest } from '../requests';
import { decodeHeld, requestOf } from './heldRequests';
import type { PartEnd } from './partProtocol';
import { countStarts } from './startedIds';

/**
 * The requests a one-thread read of the whole file leaves open at its end, in the order it finishes
 * them (the order they started), from the requests each part left open. A request open at the end of
 * one part continues in the next with the first request of its auditID there:
 * - the next part starts none: still open, as it was;
 * - it starts one, still open at the end of that part: one request, the stages of both (read order);
 * - otherwise that part completed it (its results were the part's, and they are the same: a request's
 *   findings and answers follow its primary stage, the final stage that completed it).
 * The next part's own open requests follow, in their order.
 */
export function mergeOpenRequests(ends: readonly PartEnd[], file: number, lineBases: readonly number[]): AuditRequest[] {
  let open = decodeHeld(ends[0]!.held, file, 0);
  for (let part = 1; part < ends.length; part++) {
    const end = ends[part]!;
    const held = decodeHeld(end.held, file, lineBases[part]!);
    const starts = end.starts ? countStarts(end.starts, new Set(open.map((request) => request.auditID))) : new Map<string, number>();
    const heldByID = new Map(held.map((request) => [request.auditID, request]));
    const continued = new Set<AuditRequest>();
    const next: AuditRequest[] = [];
    for (const request of open) {
      const started = starts.get(request.auditID) ?? 0;
      const rest = heldByID.get(request.auditID);
      if (started === 0) next.push(request);
      else if (started === 1 && rest) {
        next.push(requestOf(request.auditID, [...request.stages, ...rest.stages]));
        continued.add(rest);
      }
    }
    for (const request of held) if (!continued.has(request)) next.push(request);
    open = next;
  }
  return open;
}
