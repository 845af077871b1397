import data from './k8s-resources.json';

/**
 * Facts about the Kubernetes API (generated from discovery documents by scripts/build-catalog.mjs):
 * which resources exist in which group, their subresources, and what was removed or added when.
 */
export interface ResourceFacts {
  scope: string;
  subresources: readonly string[];
}

type GroupTable = Record<string, Record<string, ResourceFacts>>;

const builtIn = data.groups as GroupTable;
const aggregated = data.aggregatedGroups as GroupTable;

const resourcesCache = new Map<number, Map<string, Record<string, ResourceFacts> | undefined>>();
const servingCache = new Map<string, string[]>();

/** group -> resource -> facts, for a given minor version (resources added later are left out). */
function resourcesOf(group: string, minor: number): Record<string, ResourceFacts> | undefined {
  let byGroup = resourcesCache.get(minor);
  if (!byGroup) resourcesCache.set(minor, (byGroup = new Map()));
  if (byGroup.has(group)) return byGroup.get(group);
  const result = computeResources(group, minor);
  byGroup.set(group, result);
  return result;
}

function computeResources(group: string, minor: number): Record<string, ResourceFacts> | undefined {
  const table = builtIn[group] ?? aggregated[group];
  const added = data.addedResources.filter((a) => a.group === group && a.addedIn <= minor);
  if (!table && added.length === 0) return undefined;
  const result: Record<string, ResourceFacts> = { ...table };
  for (const a of added) result[a.resource] = { scope: a.scope, subresources: a.subresources };
  return result;
}

/** Whether the catalog knows this group's full resource list (built-in or well-known aggregated). */
export function isKnownGroup(group: string, minor: number): boolean {
  return resourcesOf(group, minor) !== undefined;
}

export function resourceFacts(group: string, resource: string, minor: number): ResourceFacts | undefined {
  const resources = resourcesOf(group, minor);
  if (resources && Object.prototype.hasOwnProperty.call(resources, resource)) return resources[resource];
  // Served until its removal, although newer discovery documents no longer list it.
  const removal = resourceRemoval(group, resource);
  return removal && minor < removal.removedIn ? { scope: 'Unknown', subresources: [] } : undefined;
}

/** Every group that serves a resource of this name. */
export function groupsServing(resource: string, minor: number): string[] {
  const key = `${minor}\n${resource}`;
  let result = servingCache.get(key);
  if (!result) servingCache.set(key, (result = computeGroupsServing(resource, minor)));
  return result;
}

function computeGroupsServing(resource: string, minor: number): string[] {
  const groups = [...Object.keys(builtIn), ...Object.keys(aggregated), ...data.addedResources.map((a) => a.group)];
  return [...new Set(groups)].filter((group) => resourceFacts(group, resource, minor) !== undefined);
}

/** Every API group the catalog knows for a minor version ("" is the core group). */
export function groupNames(minor: number): string[] {
  const groups = [...Object.keys(builtIn), ...Object.keys(aggregated), ...data.addedResources.filter((a) => a.addedIn <= minor).map((a) => a.group)];
  return [...new Set(groups)].filter((group) => !removedGroups.has(group) || removedGroups.get(group)!.removedIn > minor);
}

export function resourceNames(group: string, minor: number): string[] {
  return Object.keys(resourcesOf(group, minor) ?? {});
}

export interface Removal {
  removedIn: number;
  note: string;
}

const removedGroups = new Map(data.removedGroups.map((g) => [g.group, g]));
const removedResources = new Map(data.removedResources.map((r) => [`${r.group}\n${r.resource}`, r]));
const removedUsers = new Map(data.removedUsers.map((u) => [u.user, u]));

export function groupRemoval(group: string): (Removal & { resources: readonly string[] }) | undefined {
  return removedGroups.get(group);
}

export function resourceRemoval(group: string, resource: string): Removal | undefined {
  return removedResources.get(`${group}\n${resource}`);
}

export function userRemoval(user: string): Removal | undefined {
  return removedUsers.get(user);
}

export const DISCOVERY_MINOR: number = data.discoveryMinor;
