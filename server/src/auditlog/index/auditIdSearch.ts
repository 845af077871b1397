import type { LogIndex } from './logIndex';

/**
 * Rows whose auditID contains `needle` (already lower-cased, as free text is), found with one byte
 * search over all auditIDs instead of decoding one string per row: free text must look at the
 * auditID of every row the other fields did not match. Null when a byte search would not be the
 * same as the evaluator's asciiLower(auditID).includes(needle) (upper-case IDs) or for an empty needle.
 */
export function rowsWithAuditIdContaining(index: LogIndex, needle: string): Uint8Array | null {
  if (needle === '' || index.auditIdsHaveUppercase) return null;
  const bytes = Buffer.from(needle, 'utf8');
  const blob = index.auditIdBytes.data;
  const haystack = Buffer.from(blob.buffer, blob.byteOffset, index.auditIdBytes.length);
  const starts = index.auditIdStart.data;
  const lengths = index.auditIdLength.data;
  const rows = index.rowCount;
  const hits = new Uint8Array(rows);
  let row = 0;
  for (let at = haystack.indexOf(bytes); at >= 0; at = haystack.indexOf(bytes, at + 1)) {
    // Rows store their IDs back to back in row order, so the owner of `at` only moves forward.
    while (row + 1 < rows && starts[row + 1]! <= at) row++;
    if (at + bytes.length <= starts[row]! + lengths[row]!) hits[row] = 1;
  }
  return hits;
}
