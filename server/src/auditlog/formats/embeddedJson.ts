import type { RecordLocation } from '../normalizedEvent';
import type { RecordSink } from './recordSink';

export const CLOUDWATCH_TRUNCATION = '[Truncated...]';
/** Azure cuts properties.log at 16 KiB; a string this long that does not parse was cut. */
const AKS_LIMIT = 16 * 1024;

/**
 * Parses JSON carried inside a string (CloudWatch message, AKS properties.log). Returns undefined and
 * reports why when it cannot: cut by the service, or not JSON at all.
 */
export function parseEmbeddedJson(textValue: string, at: RecordLocation, sink: RecordSink, what: string): unknown {
  if (textValue.endsWith(CLOUDWATCH_TRUNCATION)) {
    sink.skip(at, `${what} truncated by CloudWatch ("[Truncated...]" suffix), not valid JSON`);
    return undefined;
  }
  try {
    return JSON.parse(textValue);
  } catch (error) {
    const cut = textValue.length >= AKS_LIMIT - 64 && textValue.length <= AKS_LIMIT;
    sink.skip(at, cut ? `${what} cut at 16 KiB (AKS limit), not valid JSON` : `${what} is not JSON: ${(error as Error).message}`);
    return undefined;
  }
}
