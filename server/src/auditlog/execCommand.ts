// kubectl exec sends the command as repeated `command=` query parameters of the request URI
// (`…/exec?command=sh&command=-c&command=id&container=web`). The audit log keeps only that, URL-encoded;
// decoding it once gives the "what did they run" column and the input of the exec-command detectors.

/** The exec/attach command of a request URI as one space-joined string; '' when there is none. */
export function execCommand(requestURI: string): string {
  const query = requestURI.indexOf('?');
  if (query < 0 || requestURI.indexOf('command=', query) < 0) return '';
  const args: string[] = [];
  for (const parameter of requestURI.slice(query + 1).split('&')) {
    if (parameter.startsWith('command=')) args.push(decodeQueryValue(parameter.slice('command='.length)));
  }
  return args.join(' ');
}

/** Form decoding as Go's url.ParseQuery does it: '+' is a space, %XX a byte of UTF-8. */
export function decodeQueryValue(value: string): string {
  const spaced = value.includes('+') ? value.replace(/\+/g, ' ') : value;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray % (not followed by two hex digits): decode what can be decoded, keep the rest.
    return spaced.replace(/%[0-9A-Fa-f]{2}/g, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
  }
}
