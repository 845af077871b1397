// Builds the bundles and packs them into a .vsix (everything is bundled, so no node_modules ship).
// Prints the path of the .vsix on the last line.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, `${name}-${version}.vsix`);

execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
console.log(`packaged ${(statSync(vsix).size / 1024).toFixed(0)} KB`);
console.log(vsix);
