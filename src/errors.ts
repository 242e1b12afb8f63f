/**
 * Errors thrown by axonal. Argument problems are TypeError (wrong kind of value)
 * or RangeError (right kind, wrong value or shape); everything else is an
 * AxonalError. Each carries a stable `code` to branch on instead of the message.
 */

export const ErrorCode = {
  /** A value of the wrong type: a string where a Tensor was expected. */
  InvalidType: 'ERR_AXONAL_INVALID_TYPE',
  /** A value out of range: a negative size, NaN learning rate, unknown option. */
  InvalidValue: 'ERR_AXONAL_INVALID_VALUE',
  /** Shapes that do not fit together. */
  Shape: 'ERR_AXONAL_SHAPE',
  /** An output buffer that overlaps an input. */
  Alias: 'ERR_AXONAL_ALIAS',
  /** A failure inside native code (out of memory, ...). */
  Native: 'ERR_AXONAL_NATIVE',
  /** AXONAL_ISA asks for an instruction set this CPU or build does not have. */
  Isa: 'ERR_AXONAL_ISA',
  /** The native addon could not be loaded. */
  Load: 'ERR_AXONAL_LOAD',
  /** An operation not allowed in the current state (second backward, ...). */
  State: 'ERR_AXONAL_STATE',
  /** A malformed, truncated or unreadable file. */
  File: 'ERR_AXONAL_FILE',
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export class AxonalError extends Error {
  readonly code: string;

  constructor(message: string, code: string = ErrorCode.Native, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AxonalError';
    this.code = code;
  }
}

type CodedError<E extends Error> = E & { code: string };

function withCode<E extends Error>(err: E, code: string): CodedError<E> {
  Object.defineProperty(err, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  return err as CodedError<E>;
}

/** `${op}: ${message}` as a TypeError with code ERR_AXONAL_INVALID_TYPE. */
export function typeError(op: string, message: string): CodedError<TypeError> {
  return withCode(new TypeError(`${op}: ${message}`), ErrorCode.InvalidType);
}

/** `${op}: ${message}` as a RangeError with the given code (ERR_AXONAL_INVALID_VALUE by default). */
export function rangeError(op: string, message: string, code: string = ErrorCode.InvalidValue): CodedError<RangeError> {
  return withCode(new RangeError(`${op}: ${message}`), code);
}

/** A RangeError for shapes that do not fit together. */
export function shapeError(op: string, message: string): CodedError<RangeError> {
  return rangeError(op, message, ErrorCode.Shape);
}

/** An AxonalError for an operation not allowed in the current state. */
export function stateError(op: string, message: string): AxonalError {
  return new AxonalError(`${op}: ${message}`, ErrorCode.State);
}
