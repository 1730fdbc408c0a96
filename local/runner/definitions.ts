/** The state machine definitions exactly as the stack deploys them (config/state-machine-definition.cjs). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the loader is CommonJS so osls can call it too
const loader = require('../../config/state-machine-definition.cjs') as {
  loadSource(name: string): AslDefinition;
  loadDefinition(name: string, resolve: (placeholder: string) => unknown): AslDefinition;
  STATE_MACHINES: readonly string[];
};

export interface AslState {
  Type: string;
  Comment?: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Next?: string;
  End?: boolean;
  Default?: string;
  Parameters?: Record<string, unknown>;
  Choices?: { Next: string }[];
  Retry?: { ErrorEquals: string[]; BackoffRate?: number; JitterStrategy?: string; IntervalSeconds?: number; MaxAttempts?: number; MaxDelaySeconds?: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
}

export interface AslDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, AslState>;
}

export const STATE_MACHINES = loader.STATE_MACHINES;

/** A definition with its `${…}` placeholders as written. */
export function definitionSource(name: string): AslDefinition {
  return loader.loadSource(name);
}

/**
 * A definition for the local runner: Lambda placeholders stay (the runner maps each to its handler), the
 * lock table's is the emulator's table name.
 */
export function localDefinition(name: string, lockTableName: string): AslDefinition {
  return loader.loadDefinition(name, (placeholder) => (placeholder === 'LockTableName' ? lockTableName : /FunctionArn$/.test(placeholder) ? `\${${placeholder}}` : undefined));
}
