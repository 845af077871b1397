import catalogData from './catalog/k8s-resources.json';

/**
 * Kubernetes minor versions as numbers (1.33 -> 33) and the policy features tied to them (spec §5).
 * Diagnostics that depend on the release use these, so that `kubernetesVersion: "1.23"` is exact.
 */
export const NEWEST_MINOR: number = catalogData.newestMinor;

export const FEATURE_MINOR = {
  /** audit.k8s.io/v1alpha1 and v1beta1 deprecated (warning in the apiserver log). */
  betaApiDeprecated: 21,
  /** Policy and rule omitManagedFields. */
  omitManagedFields: 23,
  /** v1alpha1 and v1beta1 no longer load. */
  betaApiRemoved: 24,
  /** Unknown fields are logged ("falling back to lenient decoding"); before, they were dropped silently. */
  strictDecodingWarning: 26,
  /** resources[].group "*" (every group). */
  groupWildcard: 36,
} as const;

/** "1.33" (or "v1.33.2") -> 33; anything else -> the newest minor the engine knows. */
export function kubernetesMinor(version: string | undefined): number {
  const match = /^v?1\.(\d+)/.exec(version?.trim() ?? '');
  return match ? Number(match[1]) : NEWEST_MINOR;
}
