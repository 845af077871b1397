// `npm start` failing fast with the real cause, before it packages or installs anything. How it stops
// once code-server runs is tested in the UI stage (test/ui/start.test.ts), which has the .vsix.
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { runStart } from '../../harness/startScript';

describe('npm start (scripts/start.ts) before it starts anything', () => {
  it('a port already in use: says so, exits non-zero within seconds and leaves nothing in the temp folder', async (t) => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    t.after(() => taken.close());
    const port = (taken.address() as AddressInfo).port;
    const start = runStart({ PORT: String(port) });
    const code = await start.exit(15_000);
    assert.notEqual(code, 0, start.output());
    assert.match(start.output(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    assert.match(start.output(), /PORT=\d+ npm start/, 'says how to pick another port');
    assert.doesNotMatch(start.output(), /packaging/, 'fails before packaging');
    assert.deepEqual(readdirSync(start.tmp), []);
  });

  it('a PORT that is not a port number: says which value is wrong and exits 2', async () => {
    const start = runStart({ PORT: '80a' });
    assert.equal(await start.exit(15_000), 2, start.output());
    assert.match(start.output(), /PORT must be a port number \(0-65535\), not "80a"/);
    assert.deepEqual(readdirSync(start.tmp), []);
  });

  it('a HOST that is not an address of this machine: says so and exits 2', async () => {
    const start = runStart({ HOST: '192.0.2.1' }); // TEST-NET-1: never assigned to a machine
    assert.equal(await start.exit(15_000), 2, start.output());
    assert.match(start.output(), /HOST 192\.0\.2\.1 is not an address of this machine/);
    assert.deepEqual(readdirSync(start.tmp), []);
  });
});
