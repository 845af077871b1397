import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers';

const POLICY = join(REPO_ROOT, 'server', 'src', 'policy');
/** The shared leaf every layer may import (its own README: it imports nothing of ours). */
const PROTOCOL = join(REPO_ROOT, 'server', 'src', 'protocol');

/** The policy package's layers (README "Layout"): a layer imports only the layers before it. */
const LAYERS = ['top', 'yaml', 'checks', 'features'] as const;

function layerOf(file: string): number {
  const first = relative(POLICY, file).split('/')[0]!;
  const at = LAYERS.indexOf(first as (typeof LAYERS)[number]);
  return at < 0 ? 0 : at;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('policy package layers', () => {
  it('each folder imports only the folders before it (top, yaml, checks, features), and nothing outside policy/ but protocol/, libraries and the schema', () => {
    const files = sources(POLICY);
    assert.ok(files.length > 30, `found ${files.length} files`);
    const broken: string[] = [];
    for (const file of files) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = resolve(dirname(file), spec!);
        if (!target.startsWith(POLICY + '/')) {
          if (!target.startsWith(PROTOCOL + '/') && !target.endsWith('schemas/audit-policy-v1.json')) broken.push(`${relative(POLICY, file)} imports ${spec} (outside policy/)`);
          continue;
        }
        if (layerOf(target) > layerOf(file)) broken.push(`${relative(POLICY, file)} (${LAYERS[layerOf(file)]}) imports ${spec} (${LAYERS[layerOf(target)]})`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
