import { expect } from 'vitest';

/** The `code` of the error f throws, or 'did not throw'. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'did not throw';
}

/** f throws `kind` with a stable ERR_AXONAL_ code and exactly `message`. */
export function expectArgError(call: () => unknown, kind: typeof TypeError | typeof RangeError, message: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, 'did not throw').toBeDefined();
  const err = thrown as Error & { code?: string };
  expect(err, `${err.constructor.name}: ${err.message}`).toBeInstanceOf(kind);
  expect(err.code).toMatch(/^ERR_AXONAL_/);
  expect(err.message).toBe(message);
}

/** The name, code and message of the error f throws (fails the test if f returns). */
export function thrown(f: () => unknown): { name: string; code: string; message: string } {
  try {
    f();
  } catch (e) {
    const err = e as Error & { code: string };
    return { name: err.name, code: err.code, message: err.message };
  }
  throw new Error('did not throw');
}
