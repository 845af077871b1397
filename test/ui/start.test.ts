// `npm start` as a user runs it: it serves the demo, and every way it stops (Ctrl+C, SIGTERM while it is
// still setting up, code-server dying) stops code-server and removes the demo folder. Uses the .vsix the
// test stage packaged (K8S_AUDIT_VSIX) and a small log, so each start takes seconds, not minutes.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runStart, type StartRun } from '../harness/startScript';

const URL_LINE = /^ {2}open (http:\/\/\S+)$/m;
/** The last line npm start prints once the demo runs. */
const RUNNING = /^npm start keeps running until then: run the tests in another terminal$/m;

function startSmallDemo(env: Record<string, string> = {}): StartRun {
  const vsix = process.env.K8S_AUDIT_VSIX;
  if (!vsix) throw new Error('K8S_AUDIT_VSIX must name the packaged extension (scripts/test.mjs sets it)');
  return runStart({ PORT: '0', DEMO_REQUESTS: '200', K8S_AUDIT_VSIX: vsix, ...env });
}

function assertNothingLeft(start: StartRun, processes: number[]): void {
  assert.deepEqual(readdirSync(start.tmp), [], `left behind in TMPDIR; output:\n${start.output()}`);
  for (const pid of processes) {
    assert.ok(!existsSync(`/proc/${pid}`), `process ${pid} that npm start ran is still alive`);
    // code-server runs in a process group of its own: its extension host and servers must be gone too.
    assert.throws(() => process.kill(-pid, 0), { code: 'ESRCH' }, `processes of group ${pid} are still alive`);
  }
}

describe('npm start (scripts/start.ts)', () => {
  it('serves the demo on 127.0.0.1 without a password; Ctrl+C stops code-server, removes the demo folder, exits 0', { timeout: 120_000 }, async () => {
    const start = startSmallDemo();
    await start.waitFor(RUNNING, 90_000);
    const [, url] = URL_LINE.exec(start.output())!;
    assert.match(url!, /^http:\/\/127\.0\.0\.1:\d+\/\?folder=/);
    assert.match(start.output(), /on 127\.0\.0\.1 only, with no password/);
    assert.match(start.output(), /6 files: audit-policy\.yaml, audit\.log with 200 requests, broken-policy\.yaml, hostile\.audit\.log, kube-apiserver\.yaml, secrets\.audit\.log; settings in \.vscode\/settings\.json/);
    assert.match(start.output(), /stop it with Ctrl\+C/);
    const workbench = await fetch(url!, { redirect: 'manual' });
    assert.equal(workbench.status, 200, 'the workbench is served without a login');
    assert.notDeepEqual(readdirSync(start.tmp), [], 'the demo folder is in TMPDIR while it runs');
    const codeServer = start.scriptChildren();

    start.pressCtrlC();
    assert.equal(await start.exit(20_000), 0, start.output());
    assertNothingLeft(start, codeServer);
    await assert.rejects(fetch(url!), 'code-server still answers after npm start ended');
  });

  it('PASSWORD requires a login; code-server dying ends npm start with exit 1, the end of its log, and no demo folder', { timeout: 120_000 }, async () => {
    const start = startSmallDemo({ PASSWORD: 'demo-secret' });
    await start.waitFor(RUNNING, 90_000);
    const [, url] = URL_LINE.exec(start.output())!;
    assert.match(start.output(), /with the password from PASSWORD/);
    const workbench = await fetch(url!, { redirect: 'manual' });
    assert.equal(workbench.status, 302, 'the workbench redirects to the login page');
    assert.match(workbench.headers.get('location') ?? '', /login/);

    const codeServer = start.scriptChildren();
    assert.equal(codeServer.length, 1, `expected code-server as the script's only process, found ${codeServer.join(', ')}`);
    process.kill(codeServer[0]!, 'SIGKILL');
    assert.equal(await start.exit(20_000), 1, start.output());
    assert.match(start.output(), /code-server stopped unexpectedly \(SIGKILL\); the end of its log:/);
    assert.match(start.output(), /HTTP server listening/, "prints the end of code-server's log");
    assertNothingLeft(start, codeServer);
  });

  it('SIGTERM while it is still setting up: stops what it started, removes the demo folder, exits 0', { timeout: 120_000 }, async () => {
    const start = startSmallDemo();
    await start.waitFor(/installing the extension/, 60_000);
    // The line comes just before the script starts `code-server --install-extension`.
    let setupStep = start.scriptChildren();
    for (const deadline = Date.now() + 10_000; setupStep.length === 0 && Date.now() < deadline; setupStep = start.scriptChildren()) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(setupStep.length, 1, 'code-server --install-extension runs');
    start.npm.kill('SIGTERM');
    assert.equal(await start.exit(20_000), 0, start.output());
    assert.doesNotMatch(start.output(), URL_LINE);
    assertNothingLeft(start, setupStep);
  });
});
