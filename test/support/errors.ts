/** Runs `action` and returns what it threw, failing the test unless it is an instance of `type`. */
export function thrownBy<T extends Error>(
  type: abstract new (...args: never[]) => T,
  action: () => unknown,
): T {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(type);
  expect((thrown as T).name).toBe(type.name);
  return thrown as T;
}
