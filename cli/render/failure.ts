import { causeMessage } from '../../lib/domain/lambda-cause';
import { STATE_MACHINES, definitionSource } from '../../local/runner/definitions';

export interface FailureEvent {
  readonly type: string;
  readonly state?: string;
  readonly error?: string;
}

/** Task states of both state machines, with their TimeoutSeconds: the states a States.Timeout can come from. */
let taskTimeouts: Map<string, number | undefined> | undefined;
function taskStates(): Map<string, number | undefined> {
  taskTimeouts ??= new Map(
    STATE_MACHINES.flatMap((name) => Object.entries(definitionSource(name).States))
      .filter(([, state]) => state.Type === 'Task')
      .map(([name, state]) => [name, state.TimeoutSeconds]),
  );
  return taskTimeouts;
}

/**
 * The Task state whose timeout failed the execution: the last Task state in the history that failed with
 * States.Timeout (a Fail state re-raising it afterwards is not a Task; AWS's history calls it TaskTimedOut).
 */
export function timedOutState(history: readonly FailureEvent[]): string | undefined {
  const tasks = taskStates();
  return history.filter((event) => event.error === 'States.Timeout' && event.state !== undefined && tasks.has(event.state)).at(-1)?.state;
}

/**
 * "{error}: {what happened}", the error named once. A cause often starts with its error's name already (the
 * compensation writes "<error>: <cause>. Restored: …"); a States.Timeout's cause is only "States.Timeout" (locally)
 * or nothing (AWS), so the Task state that timed out is named from the history instead.
 */
export function failureText(error: string, cause: string | null | undefined, history: readonly FailureEvent[] = []): string {
  let text = cause ? causeMessage(cause).trim() : '';
  while (text.startsWith(`${error}: `)) text = text.slice(error.length + 2);
  if (error === 'States.Timeout') {
    const state = timedOutState(history);
    if (state !== undefined) {
      const rest = text.replace(/^(States\.Timeout|no cause reported)\.?\s*/, '');
      const seconds = taskStates().get(state);
      const timedOut = `"${state}" timed out (its Task did not answer within ${seconds ?? 'its'}${seconds === undefined ? ' TimeoutSeconds' : ' s'})`;
      text = rest ? `${timedOut}${/^Restored:/.test(rest) ? '. ' : ': '}${rest}` : timedOut;
    }
  }
  return text && text !== error ? `${error}: ${text}` : error;
}
