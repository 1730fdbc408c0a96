/** The error of class `errorClass` that `run` throws; any other error is rethrown, and no error fails the test. */
export function thrownBy<E extends Error>(errorClass: abstract new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    if (error instanceof errorClass) return error;
    throw error;
  }
  throw new Error(`expected a ${errorClass.name}, but the input was accepted`);
}
