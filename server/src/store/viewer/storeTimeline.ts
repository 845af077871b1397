import type { ViewerTimeline } from '../../protocol/logViewer';
import { addToTimeline, bucketLayout, emptyTimeline } from '../../auditlog/viewer/timeline';
import { sqlNumber } from '../sqlText';
import type { StoreResult } from './storeResult';

/**
 * The current result over time, as the file viewer's timeline. A query SQL decides is counted by
 * ClickHouse (GROUP BY bucket, code and whether a detector hit: a few hundred groups come back);
 * the others stream the three values of each matching request and are counted here.
 */
export async function storeTimeline(result: StoreResult, buckets: number): Promise<ViewerTimeline> {
  const wanted = Math.max(1, Math.min(buckets, 1000));
  return result.compiled.condition.exact ? countedInSql(result, wanted) : countedHere(result, wanted);
}

const TIMED = 'timeMs IS NOT NULL';

async function countedInSql(result: StoreResult, buckets: number): Promise<ViewerTimeline> {
  let bounds: { lo: number | null; hi: number | null } | undefined;
  await result.eachDecided('min(timeMs) AS lo, max(timeMs) AS hi', (row) => (bounds = { lo: row.lo as number | null, hi: row.hi as number | null }), { where: TIMED });
  if (!bounds || bounds.lo === null || bounds.hi === null) return emptyTimeline();
  const layout = bucketLayout(Number(bounds.lo), Number(bounds.hi), buckets);
  const timeline = emptyTimeline(layout);
  const bucket = `intDiv(assumeNotNull(timeMs) - ${sqlNumber(layout.start)}, ${sqlNumber(layout.bucketMs)})`;
  await result.eachDecided(
    `${bucket} AS bucket, ifNull(code, -1) AS status, notEmpty(detections) AS hit, count() AS n`,
    (row) => addToTimeline(timeline, Number(row.bucket), Number(row.status) === -1 ? null : Number(row.status), Number(row.hit) === 1, Number(row.n)),
    { where: TIMED, tail: 'GROUP BY bucket, status, hit' },
  );
  return timeline;
}

async function countedHere(result: StoreResult, buckets: number): Promise<ViewerTimeline> {
  const times: number[] = [];
  const codes: (number | null)[] = [];
  const hits: boolean[] = [];
  await result.eachDecided('timeMs, code, detections', (row) => {
    times.push(Number(row.timeMs));
    codes.push(row.code === null ? null : Number(row.code));
    hits.push((row.detections as string[]).length > 0);
  }, { where: TIMED });
  if (times.length === 0) return emptyTimeline();
  let min = Infinity;
  let max = -Infinity;
  for (const time of times) {
    if (time < min) min = time;
    if (time > max) max = time;
  }
  const layout = bucketLayout(min, max, buckets);
  const timeline = emptyTimeline(layout);
  times.forEach((time, i) => addToTimeline(timeline, Math.floor((time - layout.start) / layout.bucketMs), codes[i]!, hits[i]!));
  return timeline;
}
