import type { FieldRef, PathStep, QueryNode, ValuePattern } from './ast';
import { FREE_TEXT_FIELDS } from './evaluate';
import { indexField } from './fields';
import { freeTextPattern, isExistencePattern, wildcardBody } from './pattern';

// "Copy as jq": the same query as a jq program over raw audit.k8s.io Event lines, for
// `jq -nc "$(k8s-audit query --format jq …)" audit.log`. Written for jq 1.6. Like the CLI and the
// viewer it judges requests, not events: stages are grouped by auditID (_requests) and each request is
// judged on its most complete stage. Helpers: _s (non-strings read as ""), _ms (RFC 3339 -> epoch ms,
// as the engine parses it), _urldecode (kubectl exec command parameters; bytes above 0x7f decode as
// Latin-1, unlike the engine).

export const JQ_PRELUDE = [
  'def _s: if type == "string" then . else "" end;',
  'def _ms: if type != "string" then null else ([try ((capture("\\\\A(?<d>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?<t>[0-9]{2}:[0-9]{2}:[0-9]{2})([.](?<f>[0-9]*))?(?<z>Z|[+-][0-9]{2}:[0-9]{2})?\\\\z")) as $m'
    + ' | (($m.d + "T" + $m.t + "Z") | fromdateiso8601) * 1000 + ((($m.f // "") + "000")[0:3] | tonumber)'
    + ' - (if ($m.z // "Z") == "Z" then 0 else (if $m.z[0:1] == "+" then 1 else -1 end) * (($m.z[1:3] | tonumber) * 60 + ($m.z[4:6] | tonumber)) * 60000 end)) catch null][0]) end;',
  'def _urldecode: gsub("\\\\+"; " ") | gsub("%(?<h>[0-9A-Fa-f]{2})"; (.h | ascii_downcase | explode | map(if . >= 97 then . - 87 else . - 48 end) | [.[0] * 16 + .[1]] | implode));',
].join('\n');

/**
 * requests.ts's RequestGrouper in jq, streaming: a request is emitted as {primary, stages} when its
 * ResponseComplete or Panic arrives, requests still open at the end in the order first seen, events
 * without an auditID on their own. The primary stage is the most complete (a later one wins a tie),
 * as primaryStage picks it. Records that are not events (normalizedEvent.ts looksLikeEvent) are skipped.
 * The state is one flat object (open requests by auditID, plus the counter and the output under keys
 * starting with NUL): jq 1.6 updates a nested state several times slower.
 */
export const JQ_REQUESTS = [
  'def _isevent: type == "object" and ((.auditID | type) == "string" or (.verb | type) == "string" or (.requestURI | type) == "string" or (.stage | type) == "string");',
  'def _rank: {"RequestReceived": 1, "ResponseStarted": 2, "Panic": 3, "ResponseComplete": 4}[.stage | _s] // 0;',
  'def _requests(events): foreach ((events | select(_isevent)), null) as $e ({"\\u0000n": 0};',
  '  if $e == null then {"\\u0000out": (to_entries | map(select(.key[0:1] != "\\u0000") | .value) | sort_by(.n) | map({primary: .best, stages}))}',
  '  else ($e.auditID | _s) as $id',
  '    | if $id == "" then .["\\u0000out"] = [{primary: $e, stages: [$e]}]',
  '      elif $e.stage == "ResponseComplete" or $e.stage == "Panic" then .[$id] as $r | delpaths([[$id]]) | .["\\u0000out"] = [{primary: $e, stages: (($r.stages // []) + [$e])}]',
  '      elif .[$id] == null then .["\\u0000n"] as $n | .[$id] = {n: $n, best: $e, stages: [$e]} | .["\\u0000n"] = $n + 1 | .["\\u0000out"] = null',
  '      else .[$id] as $r | .[$id] = {n: $r.n, best: (if ($e | _rank) >= ($r.best | _rank) then $e else $r.best end), stages: ($r.stages + [$e])} | .["\\u0000out"] = null end end;',
  '  .["\\u0000out"][]?);',
].join('\n');

export interface JqProgramOptions {
  /** Print every stage of a matching request instead of its primary stage (`query --stages`). */
  stages?: boolean;
  /** At most this many requests (`query --limit`). */
  limit?: number;
  /** The query as typed, quoted in the program's first comment line. */
  source?: string;
}

/**
 * The whole jq program: helpers, request grouping, then the condition on each request's primary stage.
 * Works with `jq -n` (reads `inputs`) and without it (the first event is `.`).
 */
export function toJq(node: QueryNode, options: JqProgramOptions = {}): string {
  const matching = `_requests((if . == null then empty else . end), inputs) | select(.primary | ${jqCondition(node)})`;
  const output = options.stages ? '.stages[]' : '.primary';
  // After the limit, the rest is read and dropped: without -n, jq would run the program again on it.
  const program =
    options.limit !== undefined && Number.isFinite(options.limit) ? `(limit(${options.limit}; ${matching}) | ${output}), (inputs | empty)` : `${matching} | ${output}`;
  const query = options.source !== undefined ? ` '${options.source.replace(/[\r\n]+/g, ' ')}'` : '';
  const header = [
    `# k8s-audit query${query}: one result per request (stages grouped by auditID), judged on its most complete stage,`,
    `# ${options.stages ? 'printed as all its stages' : 'printed as that stage'}, as k8s-audit query and the viewer count them. Reads audit.k8s.io Event JSON lines:`,
    '#   jq -nc "$(k8s-audit query --format jq \'QUERY\')" audit.log',
  ].join('\n');
  return `${header}\n${JQ_PRELUDE}\n${JQ_REQUESTS}\n${program}`;
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
    case 'every': {
      // jq's all/2 is true on an empty generator, as the engine's all(…) is.
      const term = node.item;
      const holds = term.kind === 'match' ? `(tostring | ${jqStringTest(term.values)})` : `(type == "number" and . ${term.op} ${term.value})`;
      return `all(${jqPath(term.field.path)} | select(. != null); ${holds})`;
    }
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
