// Literals and names written into SQL. ClickHouse 18.16 has no query parameters, so every value from
// a query, a log or a command line is inlined here and nowhere else: these functions are the whole
// defence against injection (test/unit/store/sqlText.test.ts feeds them hostile values).

/** A ClickHouse string literal: backslash, quote and every control character escaped. */
export function sqlString(value: string): string {
  let out = "'";
  for (const c of value) {
    const code = c.codePointAt(0)!;
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return `${out}'`;
}

/** A finite number as a SQL literal (integers exactly; NaN/Infinity refused). */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value);
  return `toFloat64(${sqlString(String(value))})`;
}

/** Table and cluster names: plain identifiers only (optionally `database.table`), never quoted input. */
export function sqlIdentifier(name: string, what = 'name'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) throw new Error(`bad ${what} ${JSON.stringify(name)}: use letters, digits and _ (database.table allowed)`);
  return name;
}

/**
 * An RE2 pattern that matches exactly `text`: ASCII punctuation escaped with a backslash, control
 * characters as \x{..}; other characters stand for themselves (RE2 reads UTF-8).
 */
export function re2Literal(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += `\\x{${code.toString(16)}}`;
    else if (code < 0x80 && !/[A-Za-z0-9]/.test(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}
