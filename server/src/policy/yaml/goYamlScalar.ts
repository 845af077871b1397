import type { Scalar } from 'yaml';

/**
 * The value kube-apiserver sees for a YAML scalar. Its YAML library (go-yaml v2 behind sigs.k8s.io/yaml)
 * resolves plain scalars with YAML 1.1 rules, unlike the `yaml` package's 1.2 core schema: `on`, `yes`,
 * `y`, `off`, `no`, `n` (in their three casings) are booleans, `0x1F`, `1_000` and `017` are numbers.
 * That difference matters: `verbs: [get, on]` is a fatal type error in the apiserver.
 */
export type GoScalar = string | number | boolean | null;

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOAT = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN']);
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT = /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)$/;

const STRING_TAG = 'tag:yaml.org,2002:str';

export function goScalarValue(scalar: Scalar): GoScalar {
  const value = scalar.value;
  // Quoted and block scalars are always strings; so is anything tagged !!str.
  if (scalar.tag === STRING_TAG) return String(value ?? '');
  if (scalar.type !== undefined && scalar.type !== 'PLAIN') return typeof value === 'string' ? value : String(value ?? '');
  const source = typeof scalar.source === 'string' ? scalar.source : typeof value === 'string' ? value : undefined;
  if (source === undefined) return value === undefined ? null : (value as GoScalar);
  if (scalar.tag !== undefined) return typeof value === 'object' && value !== null ? String(value) : (value as GoScalar);
  if (NULL.has(source)) return null;
  if (TRUE.has(source)) return true;
  if (FALSE.has(source)) return false;
  if (SPECIAL_FLOAT.has(source)) return source.includes('nan') || source.includes('NaN') || source.includes('NAN') ? Number.NaN : source.startsWith('-') ? -Infinity : Infinity;
  if (INT.test(source) && /[0-9]/.test(source)) return parseGoInt(source);
  if (FLOAT.test(source)) return Number(source);
  return source;
}

function parseGoInt(source: string): number {
  const sign = source.startsWith('-') ? -1 : 1;
  const digits = source.replace(/^[-+]/, '').replace(/_/g, '');
  if (digits.startsWith('0b')) return sign * parseInt(digits.slice(2), 2);
  if (digits.startsWith('0x')) return sign * parseInt(digits.slice(2), 16);
  if (digits.startsWith('0o')) return sign * parseInt(digits.slice(2), 8);
  if (digits.length > 1 && digits.startsWith('0')) return sign * parseInt(digits.slice(1), 8);
  return sign * Number(digits);
}

/** The JSON type name encoding/json uses in "cannot unmarshal X into ...". */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}
