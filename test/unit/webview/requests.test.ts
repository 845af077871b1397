// The log viewer page's own logic that needs no DOM: its requests to the session (one id counter,
// each answer or error to the request it belongs to) and its row cache (a failed page is asked for again).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageRequests } from '../../../client/webview/logViewer/requests';
import { RowCache } from '../../../client/webview/logViewer/rowCache';
import type { FromWebviewMessage, PageRequest, ViewerRow } from '../../../server/src/protocol/logViewerPage';

/** Requests as the extension host would receive them. */
function recorder(): { sent: PageRequest[]; requests: PageRequests } {
  const sent: PageRequest[] = [];
  const requests = new PageRequests((message: FromWebviewMessage) => {
    assert.equal(message.type, 'request');
    sent.push(message as PageRequest);
  });
  return { sent, requests };
}

function row(position: number): ViewerRow {
  return { position, line: position + 1, time: '', stages: '', user: `u${position}`, impersonatedUser: '', verb: 'get', resource: 'pods', namespace: '', name: '', code: 200, latencyMs: null, sourceIP: '', userAgent: '', mark: '', detectors: [] };
}

describe('the viewer page\'s requests', () => {
  it('numbers every request from one counter and settles each with its own answer, in any order', async () => {
    const { sent, requests } = recorder();
    const timeline = requests.request('timeline', { buckets: 10 });
    const rows = requests.request('rows', { start: 0, count: 2 });
    assert.deepEqual(sent.map((r) => [r.id, r.method]), [[1, 'timeline'], [2, 'rows']]);
    assert.deepEqual(sent[1]!.params, { start: 0, count: 2 });
    const page = { start: 0, rows: [row(0), row(1)] };
    requests.receive({ type: 'answer', id: 2, result: page });
    requests.receive({ type: 'answer', id: 1, error: 'ClickHouse went away' });
    assert.deepEqual(await rows, page);
    await assert.rejects(timeline, /ClickHouse went away/);
    // An answer for no waiting request (answered already, or never asked) changes nothing.
    requests.receive({ type: 'answer', id: 2, result: page });
    requests.receive({ type: 'answer', id: 99, error: 'stray' });
    void requests.request('facets', { fields: ['user'] });
    assert.equal(sent.at(-1)!.id, 3);
  });

  it('asks again for a page whose request failed, instead of waiting for it forever', async () => {
    const { sent, requests } = recorder();
    const failures: string[] = [];
    let repaints = 0;
    const cache = new RowCache(
      (start, count) => requests.request('rows', { start, count }).then((answer) => answer.rows),
      () => repaints++,
      (error) => failures.push(error.message),
    );
    assert.equal(cache.get(5), undefined);
    assert.equal(cache.get(7), undefined, 'a page asked for is asked once');
    assert.equal(sent.length, 1);
    requests.receive({ type: 'answer', id: sent[0]!.id, error: 'the server is down' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(failures, ['the server is down']);
    assert.equal(cache.get(5), undefined);
    assert.equal(sent.length, 2, 'the failed page is asked for again when it is needed');
    const rows = Array.from({ length: 100 }, (_, i) => row(i));
    requests.receive({ type: 'answer', id: sent[1]!.id, result: { start: 0, rows } });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(repaints, 1);
    assert.equal(cache.get(5)?.user, 'u5');
  });

  it('drops the answer of a page asked for before the cache was cleared (the result changed meanwhile)', async () => {
    const { sent, requests } = recorder();
    let repaints = 0;
    const cache = new RowCache((start, count) => requests.request('rows', { start, count }).then((answer) => answer.rows), () => repaints++);
    cache.get(0);
    cache.clear();
    requests.receive({ type: 'answer', id: sent[0]!.id, result: { start: 0, rows: [row(0)] } });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(repaints, 0);
    assert.equal(cache.get(0), undefined);
    assert.equal(sent.length, 2);
  });
});
