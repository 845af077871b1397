import type { TextEdit } from 'vscode-languageserver-types';
import type { LineIndexed } from '../policy/yaml/parse';
import { addPathToMap, addToMap, appendToSeq, replaceSpan, yamlString } from './edit';
import type { ApiServerConfig, FlagArg } from './model';

/**
 * Flag edits in the file's own form: `--name=value` in a pod's command or args, `name=value` in
 * k3s/RKE2 `kube-apiserver-arg`, `name: "value"` in kubeadm v1beta3 extraArgs, `{name, value}` items
 * in v1beta4. kubeadm values are always strings, so numbers are written quoted.
 */
export function setFlagValue(source: LineIndexed, config: ApiServerConfig, flag: FlagArg, value: string): TextEdit {
  if (flag.valueSpan) {
    const quoted = source.text[flag.valueSpan.start - 1] === '"' || source.text[flag.valueSpan.start - 1] === "'";
    // `--name=value` inside one list item: the value is part of a larger string, written as is.
    const inItem = config.kind !== 'kubeadm' && flag.valueSpan.start === flag.nameSpan.end + 1 && source.text[flag.nameSpan.end] === '=';
    const text = quoted || inItem ? value : config.kind === 'kubeadm' ? JSON.stringify(value) : yamlString(value);
    return replaceSpan(source, flag.valueSpan, text);
  }
  // `--flag` with no value: add `=value` to the same item.
  return replaceSpan(source, { start: flag.nameSpan.end, end: flag.nameSpan.end }, `=${value}`);
}

export function addFlag(source: LineIndexed, config: ApiServerConfig, name: string, value: string): TextEdit {
  const list = config.flagList;
  switch (list.form) {
    case 'args':
      return appendToSeq(source, list.seq, list.dashes ? `--${name}=${value}` : `${name}=${value}`);
    case 'map':
      return addToMap(source, list.map, name, value);
    case 'name-value':
      return appendToSeq(source, list.seq, { name, value });
    case 'absent':
      if (list.style === 'map') return addPathToMap(source, list.owner, list.path, { [name]: value });
      if (list.style === 'name-value') return addPathToMap(source, list.owner, list.path, [{ name, value }]);
      return addPathToMap(source, list.owner, list.path, [`${name}=${value}`]);
  }
}

/** Sets a flag to a value: changes the one in effect, or adds it. */
export function putFlag(source: LineIndexed, config: ApiServerConfig, existing: FlagArg | undefined, name: string, value: string): TextEdit {
  return existing ? setFlagValue(source, config, existing, value) : addFlag(source, config, name, value);
}
