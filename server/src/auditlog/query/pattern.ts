import type { ValuePattern } from './ast';

export type StringTest = (value: string) => boolean;

/**
 * How a literal value is written in a query so that it matches exactly that text: `*`, `"` and `\`
 * escaped; quoted when it has spaces, parentheses, ":" or quotes, or is empty. Used wherever a query is
 * written for the user (facet clicks, completion, a window detector's filter).
 */
export function quoteValue(value: string): string {
  const literal = value.replace(/[\\"*]/g, (c) => `\\${c}`);
  return literal === '' || /[\s():"]/.test(literal) ? `"${literal}"` : literal;
}

/** `*` alone (or only stars): the value is present and not empty. */
export function isExistencePattern(pattern: ValuePattern): boolean {
  return pattern.parts.length > 1 && pattern.parts.every((part) => part === '');
}

// Escapes that mean the same literal character in JavaScript and in jq's Oniguruma (Ruby syntax).
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/\-]/g;

export function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/** The wildcard body shared by the engine and the jq translation, so both match the same strings. */
export function wildcardBody(parts: readonly string[]): string {
  return parts.map(escapeRegex).join('[\\s\\S]*');
}

/** Case-sensitive whole-value match, with fast paths for the common shapes of wildcard. */
export function compilePattern(pattern: ValuePattern): StringTest {
  const parts = pattern.parts;
  if (isExistencePattern(pattern)) return (value) => value !== '';
  if (parts.length === 1) {
    const literal = parts[0]!;
    return (value) => value === literal;
  }
  if (parts.length === 2 && parts[1] === '') {
    const prefix = parts[0]!;
    return (value) => value.startsWith(prefix);
  }
  if (parts.length === 2 && parts[0] === '') {
    const suffix = parts[1]!;
    return (value) => value.endsWith(suffix);
  }
  if (parts.length === 3 && parts[0] === '' && parts[2] === '') {
    const middle = parts[1]!;
    return (value) => value.includes(middle);
  }
  const regex = new RegExp(`^${wildcardBody(parts)}$`);
  return (value) => regex.test(value);
}

/** Lower-cases A-Z only, exactly as jq's ascii_downcase, so free text matches alike in both. */
export function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : text;
}

/** Free text: the words anywhere in a value, case-insensitively (`*word*` on lower-cased text). */
export function freeTextPattern(pattern: ValuePattern): ValuePattern {
  const parts = pattern.parts.map(asciiLower);
  return { ...pattern, parts: ['', ...parts, ''] };
}
