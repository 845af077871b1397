// Log values (user names, URIs, even parse errors quoting a line) are attacker-controlled: what the CLI
// prints never lets them send terminal control sequences. One escaping for every output.

const escape = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** A line of output: control characters escaped, tabs and newlines kept. */
export function printable(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, escape);
}

/** A table cell: every control character escaped, tabs and newlines too, so a cell stays one cell. */
export function printableCell(cell: string): string {
  return cell.replace(/[\u0000-\u001f\u007f\u009b]/g, escape);
}
