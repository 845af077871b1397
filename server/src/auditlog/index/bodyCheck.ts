import type { EventPredicate } from '../query/evaluate';
import type { LogIndex } from './logIndex';
import { visitPrimaryEvents } from './primaryEvents';

/**
 * Decides rows the index cannot (body terms) with the streaming evaluator itself: re-reads the
 * primary stage of each row from disk and applies the compiled predicate to it, exactly as
 * requestPredicate does in the streaming path. Returns a flag per candidate.
 */
export async function checkBodies(index: LogIndex, candidates: Uint32Array, predicate: EventPredicate): Promise<Uint8Array> {
  const verdicts = new Uint8Array(candidates.length);
  await visitPrimaryEvents(index, candidates, (position, event) => {
    if (predicate(event)) verdicts[position] = 1;
  });
  return verdicts;
}
