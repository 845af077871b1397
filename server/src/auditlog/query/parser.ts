import { QuerySyntaxError, type ComparisonOperator, type FieldRef, type PathTerm, type QueryNode, type ValuePattern } from './ast';
import { indexField, resolveField } from './fields';
import { tokenize, type Token } from './lexer';
import { parseDuration, parseInstant } from './timeValues';

export interface ParseQueryOptions {
  /** "Now" for `last:15m`, epoch ms; a parameter so results are reproducible (and testable). */
  now?: number;
}

/**
 * Grammar (implicit AND between terms; AND binds tighter than OR):
 *   query   := or
 *   or      := and ('OR' and)*
 *   and     := unary (['AND'] unary)*
 *   unary   := ('-' | 'NOT') unary | '(' or ')' | ('all(' | 'any(') pathterm ')' | term
 *   term    := FIELD OP value | FIELD ':' '(' value (['OR'] value)* ')' | value
 *   pathterm:= a term whose FIELD is a JSON path and whose OP is not '!='
 *   OP      := ':' | '=' | '!=' | '>' | '>=' | '<' | '<='
 * Special fields: after:TIME, before:TIME, last:DURATION.
 */
export function parseQuery(query: string, options: ParseQueryOptions = {}): QueryNode {
  return new Parser(tokenize(query), options.now ?? Date.now()).parse();
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly now: number,
  ) {}

  parse(): QueryNode {
    if (this.peek().type === 'eof') return { kind: 'all' };
    const node = this.parseOr();
    const next = this.peek();
    if (next.type === ')') throw new QuerySyntaxError('")" without a matching "("', next.offset);
    if (next.type !== 'eof') throw new QuerySyntaxError(`unexpected ${describe(next)}`, next.offset);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private take(): Token {
    return this.tokens[this.position++]!;
  }

  private parseOr(): QueryNode {
    const items = [this.parseAnd()];
    while (this.peek().type === 'OR') {
      this.take();
      items.push(this.parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private parseAnd(): QueryNode {
    const items = [this.parseUnary()];
    for (;;) {
      const next = this.peek().type;
      if (next === 'AND') {
        this.take();
        items.push(this.parseUnary());
      } else if (next === 'eof' || next === 'OR' || next === ')') {
        break;
      } else {
        items.push(this.parseUnary());
      }
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private parseUnary(): QueryNode {
    const token = this.take();
    switch (token.type) {
      case '-':
      case 'NOT':
        return { kind: 'not', item: this.parseUnary() };
      case '(': {
        if (this.peek().type === ')') throw new QuerySyntaxError('empty parentheses', token.offset, 2);
        const inner = this.parseOr();
        const close = this.take();
        if (close.type !== ')') throw new QuerySyntaxError('missing ")"', token.offset);
        return inner;
      }
      case 'quantifier':
        return this.parseQuantifier(token);
      case 'value':
        return { kind: 'text', value: token.value, offset: token.offset };
      case 'field':
        return this.parseFieldTerm(token);
      case 'eof':
        throw new QuerySyntaxError('the query ends where a term was expected', token.offset, 0);
      default:
        throw new QuerySyntaxError(`unexpected ${describe(token)}`, token.offset, token.type.length);
    }
  }

  /** `all(PATH:VALUE)` (every value the path reaches) or `any(…)` (some value: the plain term). */
  private parseQuantifier(token: Extract<Token, { type: 'quantifier' }>): QueryNode {
    const name = token.name;
    this.take(); // "(": the lexer only makes a quantifier of a name right before one
    const first = this.take();
    const example = `${name}(podSpec.allContainers[].image:registry.k8s.io/*)`;
    if (first.type !== 'field') throw new QuerySyntaxError(`${name}(…) takes a JSON path term, e.g. ${example}`, first.offset, first.type === 'eof' ? 0 : 1);
    const term = this.parseFieldTerm(first);
    if (term.kind === 'not') {
      throw new QuerySyntaxError(`"!=" in ${name}(…): write -${first.name}:VALUE (no value is) or -all(${first.name}:VALUE) (some value is not)`, first.offset, first.name.length + first.op.length);
    }
    if ((term.kind !== 'match' && term.kind !== 'compare') || term.field.kind !== 'path') {
      throw new QuerySyntaxError(`${name}(…) takes a JSON path term (${first.name} has one value per request), e.g. ${example}`, first.offset, first.name.length + first.op.length);
    }
    const close = this.take();
    if (close.type !== ')') throw new QuerySyntaxError(`${name}(…) holds one term: close it with ")"`, close.offset, close.type === 'eof' ? 0 : 1);
    return name === 'any' ? term : { kind: 'every', item: term as PathTerm, offset: token.offset };
  }

  private parseFieldTerm(token: Extract<Token, { type: 'field' }>): QueryNode {
    const values = this.parseValues();
    const { name, op, offset } = token;
    if (name === 'after' || name === 'before' || name === 'last') {
      if (op !== ':' || values.length !== 1) throw new QuerySyntaxError(`use ${name}:VALUE`, offset, name.length + op.length);
      const value = values[0]!;
      const time: FieldRef = { kind: 'index', name: 'time' };
      if (name === 'last') return { kind: 'compare', field: time, op: '>=', value: this.now - parseDuration(value), offset };
      return { kind: 'compare', field: time, op: name === 'after' ? '>=' : '<', value: parseInstant(value), offset };
    }
    const field = resolveField(name, offset);
    if (op === ':' || op === '=' || op === '!=') {
      if (field.kind === 'index' && indexField(field.name).type === 'time') {
        throw new QuerySyntaxError('compare time with a date: time>=2026-02-22T10:00Z, or use after:, before:, last:', offset, name.length);
      }
      const match: QueryNode = { kind: 'match', field, values, offset };
      return op === '!=' ? { kind: 'not', item: match } : match;
    }
    if (values.length !== 1) throw new QuerySyntaxError(`${op} takes one value`, offset, name.length + op.length);
    return { kind: 'compare', field, op: op as ComparisonOperator, value: comparisonValue(field, values[0]!), offset };
  }

  private parseValues(): ValuePattern[] {
    const next = this.take();
    if (next.type === 'value') return [next.value];
    if (next.type !== '(') throw new QuerySyntaxError(`expected a value, found ${describe(next)}`, next.offset);
    const values: ValuePattern[] = [];
    for (;;) {
      const token = this.take();
      if (token.type === ')') break;
      if (token.type === 'OR') continue;
      if (token.type !== 'value') throw new QuerySyntaxError(`expected a value or ")" in the list, found ${describe(token)}`, token.offset);
      values.push(token.value);
    }
    if (values.length === 0) throw new QuerySyntaxError('empty value list', next.offset, 2);
    return values;
  }
}

function comparisonValue(field: FieldRef, value: ValuePattern): number {
  const text = value.parts.join('*');
  if (value.parts.length > 1) throw new QuerySyntaxError('wildcards cannot be compared', value.offset, value.source.length);
  if (field.kind === 'index') {
    const type = indexField(field.name).type;
    if (type === 'time') return parseInstant(value);
    if (field.name === 'latency') return parseDuration(value, 'ms');
    if (type !== 'number') throw new QuerySyntaxError(`${field.name} is text; only numbers and times compare with <, >`, value.offset, value.source.length);
  }
  const number = Number(text);
  if (text === '' || !Number.isFinite(number)) throw new QuerySyntaxError(`"${text}" is not a number`, value.offset, value.source.length);
  return number;
}

function describe(token: Token): string {
  if (token.type === 'eof') return 'end of query';
  if (token.type === 'value') return `"${token.value.source}"`;
  if (token.type === 'field') return `"${token.name}${token.op}"`;
  if (token.type === 'quantifier') return `"${token.name}("`;
  return `"${token.type}"`;
}
