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

/** The error f throws, checked to be a `kind` with a stable ERR_AXONAL_ code. */
function argError(call: () => unknown, kind: typeof TypeError | typeof RangeError): Error {
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
  return err;
}

/** f throws `kind` with a stable ERR_AXONAL_ code and exactly `message`. */
export function expectArgError(call: () => unknown, kind: typeof TypeError | typeof RangeError, message: string): void {
  expect(argError(call, kind).message).toBe(message);
}

/** Likewise, with a message that starts with `${op}: ` and matches every fragment. */
export function expectArgErrorMatching(call: () => unknown, kind: typeof TypeError | typeof RangeError, op: string, ...fragments: (string | RegExp)[]): void {
  const err = argError(call, kind);
  expect(err.message.startsWith(`${op}: `), err.message).toBe(true);
  for (const f of fragments) expect(err.message).toMatch(f);
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
