import type { TreeMap, TreeNode, TreeScalar, TreeSeq } from '../policy/yaml/tree';
import type { ClusterSource, Span } from './source';

/**
 * One model of "the audit setup", whatever file it comes from: the flags kube-apiserver is started
 * with and the mounts its pod has (static pod manifest, kubeadm ClusterConfiguration, k3s/RKE2
 * config.yaml), the webhook backend's kubeconfig, and a managed service's logging switch. The
 * checks, quick fixes, hover, links and the compliance report all read this model; the tree nodes
 * are kept so that fixes can edit the text around them.
 */

/** One flag as kube-apiserver receives it. */
export interface FlagArg {
  /** Without the leading dashes: `audit-log-maxage`. */
  name: string;
  /** The value kube-apiserver parses; undefined when none was given (`--flag` alone). */
  value: string | undefined;
  /** The value was written as a YAML number or boolean where the file format needs a string. */
  valueNotString?: { node: TreeScalar; type: string };
  /** `--audit-log-maxage` (or the map key, or the `name:` value). */
  nameSpan: Span;
  /** The value's characters, when there is a value. */
  valueSpan: Span | undefined;
  /** The whole argument: one list item, two items (`--flag`, `value`), a map entry or a name/value item. */
  span: Span;
}

/** Where flags live, so a fix can add one in the file's own style. */
export type FlagList =
  | { form: 'args'; seq: TreeSeq; dashes: boolean }
  | { form: 'map'; map: TreeMap }
  | { form: 'name-value'; seq: TreeSeq }
  /** No list yet: `path` (keys to create under `owner`) leads to where it belongs. */
  | { form: 'absent'; owner: TreeMap; path: string[]; style: 'map' | 'name-value' | 'args' };

export interface Mount {
  name: string;
  mountPath: string;
  readOnly: boolean;
  /** The volumeMount (or kubeadm extraVolume) item; undefined for mounts a tool adds itself. */
  node: TreeMap | undefined;
  /** Where the host side is: a hostPath volume, another kind of volume, no volume of that name. */
  volume: { kind: 'hostPath'; path: string; type: string | undefined } | { kind: 'other'; type: string } | { kind: 'missing' } | { kind: 'implicit'; path: string };
  /** A pod volume with that name, when there is one (to point at it). */
  volumeNode?: TreeMap;
}

export interface MountModel {
  style: 'pod' | 'kubeadm';
  mounts: Mount[];
  /** Pod: the container (its volumeMounts) and the pod spec (its volumes). kubeadm: apiServer and the document. */
  container?: TreeMap;
  podSpec?: TreeMap;
  apiServer?: TreeMap;
  root?: TreeMap;
}

export type ApiServerKind = 'static-pod' | 'kubeadm' | 'k3s';

export interface ApiServerConfig {
  kind: ApiServerKind;
  /** kubeadm: the ClusterConfiguration apiVersion (v1beta3 map extraArgs, v1beta4 name/value list). */
  apiVersion?: string;
  flags: FlagArg[];
  /** Where findings about a flag that is not there go (the list holding the flags, or its owner). */
  anchor: Span;
  flagList: FlagList;
  /** Undefined where mounts are not part of the file (k3s and RKE2 run or mount it themselves). */
  mounts: MountModel | undefined;
  /** Arguments that are not flags: kube-apiserver refuses any (`does not take any arguments`). */
  strayArgs: { text: string; span: Span }[];
}

export interface KubeconfigCluster {
  name: string;
  node: TreeMap;
  nameSpan: Span;
  /** The `cluster:` map of the entry. */
  cluster: TreeMap | undefined;
}

export interface WebhookKubeconfig {
  root: TreeMap;
  clusters: KubeconfigCluster[];
  contextNames: Map<string, { cluster?: string; user?: string }>;
  currentContext?: { value: string; span: Span; keySpan: Span };
  /** The users[] sequence, for inline-credential checks. */
  users: TreeSeq | undefined;
}

export type ManagedProvider = 'eks' | 'aks' | 'gke';

/** What a managed service's settings say about audit logging, with the places that say it. */
export interface ManagedLogging {
  provider: ManagedProvider;
  source: 'eksctl' | 'cloudformation' | 'aks-diagnostic-settings' | 'gcp-iam-policy';
  /** 'all': every request; 'writes': writes only (AKS kube-audit-admin, GKE without Data Access); 'none'. */
  coverage: 'all' | 'writes' | 'none';
  /** Days kept; 'forever' when the service keeps logs until deleted; undefined when the file does not say. */
  retentionDays: number | 'forever' | undefined;
  /** Where the deciding setting is (or where it is missing). */
  evidence: Span;
  retentionEvidence?: Span;
  /** Streams to a place a monitor can read (CloudWatch, Log Analytics, Event Hub, Cloud Logging). */
  streams: boolean;
}

export type SetupDocument =
  | { kind: 'apiserver'; documentIndex: number; config: ApiServerConfig }
  | { kind: 'webhook-kubeconfig'; documentIndex: number; config: WebhookKubeconfig }
  | { kind: 'managed'; documentIndex: number; config: ManagedLogging; root: TreeNode };

/** A recognised setup file: its parsed text and what it holds. */
export interface SetupFile {
  source: ClusterSource;
  documents: SetupDocument[];
}
