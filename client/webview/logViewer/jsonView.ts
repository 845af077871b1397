import { el } from './dom';

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b/g;

/**
 * Pretty JSON as highlighted DOM: each token a span whose text is set with textContent, so content
 * from the log can never become markup.
 */
export function jsonView(json: string, id?: string): HTMLElement {
  const pre = el('pre', id === undefined ? { class: 'json' } : { class: 'json', id });
  let last = 0;
  for (const match of json.matchAll(TOKEN)) {
    const index = match.index ?? 0;
    if (index > last) pre.append(json.slice(last, index));
    const [token, string, colon, number, literal] = match;
    if (string !== undefined && colon !== undefined) {
      pre.append(el('span', { class: 'json-key' }, string), colon);
    } else if (string !== undefined) {
      pre.append(el('span', { class: string.startsWith('"‹redacted') ? 'json-redacted' : 'json-string' }, string));
    } else if (number !== undefined) {
      pre.append(el('span', { class: 'json-number' }, number));
    } else if (literal !== undefined) {
      pre.append(el('span', { class: 'json-literal' }, literal));
    } else {
      pre.append(token);
    }
    last = index + token.length;
  }
  if (last < json.length) pre.append(json.slice(last));
  return pre;
}
