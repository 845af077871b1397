import { buildPolicyModel, type PolicyModel } from './model';
import { parsePolicyText, type PolicyText } from './parse';

/**
 * One parse per text, shared by every feature: a keystroke asks for diagnostics, completion and
 * maybe hover of the same text, and only the first of them parses. Keyed by the text itself (a few
 * recent texts: the open documents being edited), so no version bookkeeping is needed.
 */
const SIZE = 8;
const parses = new Map<string, PolicyText>();
const models = new WeakMap<PolicyText, PolicyModel>();

/** parsePolicyText, remembered for the last few texts. Throws like parsePolicyText (absurd nesting). */
export function parseCached(text: string): PolicyText {
  const known = parses.get(text);
  if (known) {
    // Most recently used last.
    parses.delete(text);
    parses.set(text, known);
    return known;
  }
  const parsed = parsePolicyText(text);
  parses.set(text, parsed);
  if (parses.size > SIZE) parses.delete(parses.keys().next().value!);
  return parsed;
}

/** buildPolicyModel, once per parsed text. */
export function modelOf(parsed: PolicyText): PolicyModel {
  let model = models.get(parsed);
  if (!model) models.set(parsed, (model = buildPolicyModel(parsed)));
  return model;
}
