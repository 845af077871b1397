/**
 * Retention the compliance frameworks ask of audit logs. PCI DSS v4.0 requirement 10.5.1: keep audit
 * log history for at least 12 months, with at least the most recent three months immediately available
 * for analysis. (CIS 1.2.17's 30 days is about rotated files on a control-plane node, not about history.)
 */
export const RETENTION_DAYS_ASKED = 365;
export const IMMEDIATELY_AVAILABLE_DAYS = 90;

export function retentionMessage(days: number, where: string): string {
  return `${where} keeps the audit log ${days} day${days === 1 ? '' : 's'}: PCI DSS 10.5.1 asks for 12 months of history (${RETENTION_DAYS_ASKED} days), the last 3 months immediately available. Keep it longer here or export it to an archive.`;
}
