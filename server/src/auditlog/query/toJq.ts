import type { FieldRef, PathStep, QueryNode, ValuePattern } from './ast';
import { FREE_TEXT_FIELDS } from './evaluate';
import { indexField } from './fields';
import { freeTextPattern, isExistencePattern, wildcardBody } from './pattern';

// "Copy as jq": the same query as a jq program over raw audit.k8s.io Event lines (one event per
// line, stages not grouped), for `jq -c "$(k8s-audit query --format jq …)" audit.log`. Written for
// jq 1.6. Helpers: _s (non-strings read as ""), _ms (RFC 3339 -> epoch ms, as the engine parses it),
// _urldecode (kubectl exec command parameters; bytes above 0x7f decode as Latin-1, unlike the engine).

export const JQ_PRELUDE = [
  'def _s: if type == "string" then . else "" end;',
  'def _ms: if type != "string" then null else ([try ((capture("\\\\A(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?<t>[0-9]{2}:[0-9]{2}:[0-9]{2})([.](?<f>[0-9]*))?(?<z>Z|[+-][0-9]{2}:[0-9]{2})?\\\\z")) as $m'
    + ' | (($m.d + "T" + $m.t + "Z") | fromdateiso8601) * 1000 + ((($m.f // "") + "000")[0:3] | tonumber)'
    + ' - (if ($m.z // "Z") == "Z" then 0 else (if $m.z[0:1] == "+" then 1 else -1 end) * (($m.z[1:3] | tonumber) * 60 + ($m.z[4:6] | tonumber)) * 60000 end)) catch null][0]) end;',
  'def _urldecode: gsub("\\\\+"; " ") | gsub("%(?<h>[0-9A-Fa-f]{2})"; (.h | ascii_downcase | explode | map(if . >= 97 then . - 87 else . - 48 end) | [.[0] * 16 + .[1]] | implode));',
].join('\n');

/** The whole jq program: helpers, then `select(<condition>)`. */
export function toJq(node: QueryNode): string {
  return `${JQ_PRELUDE}\nselect(${jqCondition(node)})`;
}

export function jqCondition(node: QueryNode): string {
  switch (node.kind) {
    case 'all':
      return 'true';
    case 'and':
      return `(${node.items.map(jqCondition).join(' and ')})`;
    case 'or':
      return `(${node.items.map(jqCondition).join(' or ')})`;
    case 'not':
      return `(${jqCondition(node.item)} | not)`;
    case 'match':
      return jqMatch(node.field, node.values);
    case 'compare':
      return node.field.kind === 'path'
        ? `any(${jqPath(node.field.path)} | numbers; . ${node.op} ${node.value})`
        : `(${indexField(node.field.name).jq} as $v | ($v | type) == "number" and $v ${node.op} ${node.value})`;
    case 'text': {
      const values = FREE_TEXT_FIELDS.map((name) => indexField(name).jq).join(', ');
      return `any([${values}][] | ascii_downcase; ${jqStringTest([freeTextPattern(node.value)])})`;
    }
  }
}

/** A filter of a string input that is true when it matches one of the patterns. */
function jqStringTest(values: ValuePattern[]): string {
  const tests = values.map((value) => {
    if (isExistencePattern(value)) return '. != ""';
    if (value.parts.length === 1) return `. == ${JSON.stringify(value.parts[0])}`;
    return `test(${JSON.stringify(`\\A${wildcardBody(value.parts)}\\z`)})`;
  });
  return tests.length === 1 ? tests[0]! : `(${tests.join(' or ')})`;
}

function jqMatch(field: FieldRef, values: ValuePattern[]): string {
  if (field.kind === 'path') return `any(${jqPath(field.path)} | select(. != null) | tostring; ${jqStringTest(values)})`;
  const definition = indexField(field.name);
  if (definition.name === 'resource') {
    const tests = values.map((value) => {
      const combined = value.parts.some((part) => part.includes('/'));
      const input = combined
        ? `(${definition.jq} as $r | ${indexField('subresource').jq} as $sub | if $sub != "" then $r + "/" + $sub else $r end)`
        : definition.jq;
      return `(${input} | ${jqStringTest([value])})`;
    });
    return tests.length === 1 ? tests[0]! : `(${tests.join(' or ')})`;
  }
  if (definition.type === 'strings') return `any(${definition.jq}[]; ${jqStringTest(values)})`;
  if (definition.type === 'number') return `(${definition.jq} | (if . == null then "" else tostring end) | ${jqStringTest(values)})`;
  return `(${definition.jq} | ${jqStringTest(values)})`;
}

/** Path alternatives as one jq generator; every step tolerates a wrong type as the engine does. */
function jqPath(path: readonly PathStep[][]): string {
  const alternatives = path.map((steps) => steps.map(jqStep).join(' | ') || '.');
  return alternatives.length === 1 ? `(${alternatives[0]})` : `(${alternatives.map((a) => `(${a})`).join(', ')})`;
}

function jqStep(step: PathStep): string {
  if ('key' in step) return `.[${JSON.stringify(step.key)}]?`;
  if ('index' in step) return `.[${step.index}]?`;
  return '.[]?';
}
