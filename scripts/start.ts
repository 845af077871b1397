// `npm start`: builds and packages the extension, installs it into code-server (a real VS Code in the
// browser), opens a demo workspace with a sample policy and a generated audit log, and prints the URL.
//   PORT=8080 DEMO_REQUESTS=20000 npm start
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer, installVsix, makeWorkspace, REPO_ROOT, startCodeServer, tempDir, workbenchUrl } from '../test/harness/codeServer';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const requests = Number(process.env.DEMO_REQUESTS ?? 20_000);
  console.log('building and packaging the extension...');
  const packaged = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const vsix = packaged.trim().split('\n').pop()!;
  console.log('making sure code-server is installed (first time: about a minute)...');
  const entry = await ensureCodeServer();
  const dataDir = tempDir('k8s-audit-demo-');
  await installVsix(entry, dataDir, vsix);
  const workspace = await makeWorkspace(join(dataDir, 'workspace'), requests);
  const server = await startCodeServer({ entry, dataDir, port });
  console.log(`\nKubernetes Audit demo is running in VS Code (code-server):\n\n  ${workbenchUrl(server, workspace)}\n`);
  console.log(`workspace: ${workspace} (audit-policy.yaml, broken-policy.yaml, audit.log with ${requests} requests)`);
  console.log('press Ctrl+C to stop');
  const stop = () =>
    void server.stop().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.process.once('exit', (code) => {
    console.error(`code-server exited (${code}); its log: ${server.logFile}`);
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
