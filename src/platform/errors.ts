/** Stable error codes; each maps once to an HTTP status. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA: 415,
  INVALID_STATE: 422,
  /**
   * The request was read, and values in it are refused for the reasons given per field. In a batch (an API array,
   * an imported file) each problem also names its item: `index` in the array or `line` in the file.
   */
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** Our own side (the database, say) cannot do the work just now: answered with Retry-After, never as a verdict. */
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * One problem with one input field: the field's path and the reason in plain words, and for an item of a batch
 * where it sits (its position in a JSON array, or its line in a file), so a caller can point at it without
 * parsing the path.
 */
export interface FieldProblem {
  field: string;
  reason: string;
  index?: number;
  line?: number;
}

/**
 * The one error type. `message` is for logs; `publicMessage` is safe to show people; `fields` carries
 * validation detail; unknown errors never reach users as anything but a generic 500.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly publicMessage: string,
    readonly fields: FieldProblem[] = [],
    options?: { cause?: unknown },
  ) {
    super(publicMessage, options);
    this.name = 'AppError';
    this.status = errorStatus[code];
  }
}

export const notFound = (what = 'That page') => new AppError('NOT_FOUND', `${what} could not be found.`);
export const forbidden = (why = 'You do not have permission to do that.') => new AppError('FORBIDDEN', why);
export const invalid = (fields: FieldProblem[], message = 'Some fields need attention.') =>
  new AppError('VALIDATION_FAILED', message, fields);
/** Like `invalid`, as a 422: for APIs whose callers tell a malformed request (400) from refused values. */
export const refused = (fields: FieldProblem[], message = 'Some fields need attention.') =>
  new AppError('UNPROCESSABLE', message, fields);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const invalidState = (message: string) => new AppError('INVALID_STATE', message);

/**
 * Our own infrastructure failed (the database is down, say): the request may succeed later. `cause` is logged by
 * the error handler and never shown; `publicMessage` tells people what could not be done and to try again.
 */
export const unavailable = (publicMessage: string, cause: unknown) =>
  new AppError('UNAVAILABLE', publicMessage, [], { cause });
