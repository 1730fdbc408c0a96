import type { AslDefinition } from './definitions';

interface ChoiceRule {
  Variable?: string;
  BooleanEquals?: boolean;
  StringEquals?: string;
  IsPresent?: boolean;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Next?: string;
}

/** "$.release.gate.healthy == true" → "healthy"; "$.release.role == microservice" → "microservice". */
function describeRule(rule: ChoiceRule): string {
  if (rule.And) {
    // An IsPresent guard beside a comparison of the same field says nothing more ("live", not "live and live").
    const compared = new Set(rule.And.filter((part) => part.IsPresent === undefined && part.Variable).map((part) => part.Variable));
    const parts = rule.And.filter((part) => !(part.IsPresent === true && compared.has(part.Variable)));
    return parts.length === 1 && parts[0] ? describeRule(parts[0]) : parts.map((part) => (part.Or ? `(${describeRule(part)})` : describeRule(part))).join(' and ');
  }
  if (rule.Or) return rule.Or.map(describeRule).join(' or ');
  const field = (rule.Variable ?? '').split('.').pop() ?? '';
  if (rule.BooleanEquals !== undefined) return rule.BooleanEquals ? field : `not ${field}`;
  if (rule.StringEquals !== undefined) return rule.StringEquals;
  return field;
}

const escape = (text: string) => text.replace(/"/g, '#quot;');

/**
 * A Mermaid flowchart of a state machine, drawn from its definition: every state, every Next, Choice branch
 * and Default, and every Catch (dashed, "error"). The README's diagrams are this output (test/unit/docs).
 */
export function mermaidOf(definition: AslDefinition, prefix: string): string {
  const names = Object.keys(definition.States);
  const id = (name: string) => `${prefix}${names.indexOf(name)}`;
  const lines = ['flowchart TD'];
  for (const name of names) {
    const type = definition.States[name]?.Type;
    const label = escape(name);
    lines.push(`  ${id(name)}${type === 'Choice' ? `{"${label}"}` : type === 'Succeed' || type === 'Fail' ? `(["${label}"])` : type === 'Wait' ? `[/"${label}"/]` : `["${label}"]`}`);
  }
  for (const name of names) {
    const state = definition.States[name] as AslDefinition['States'][string] & { Choices?: ChoiceRule[] };
    for (const choice of state.Choices ?? []) if (choice.Next) lines.push(`  ${id(name)} -- "${escape(describeRule(choice))}" --> ${id(choice.Next)}`);
    if (state.Default) lines.push(`  ${id(name)} -- otherwise --> ${id(state.Default)}`);
    if (state.Next) lines.push(`  ${id(name)} --> ${id(state.Next)}`);
    for (const target of new Set((state.Catch ?? []).map((c) => c.Next))) if (target !== state.Next) lines.push(`  ${id(name)} -. error .-> ${id(target)}`);
  }
  return lines.join('\n');
}

/** The README block for both state machines, between its diagram markers. */
export function readmeDiagrams(definitions: Record<string, AslDefinition>): string {
  return Object.entries(definitions)
    .map(([name, definition]) => `\`${name}\` (statemachines/${name}.asl.yaml):\n\n\`\`\`mermaid\n${mermaidOf(definition, name.slice(0, 1))}\n\`\`\``)
    .join('\n\n');
}
