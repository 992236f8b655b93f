// The answer shape of every action and the closed list of error codes (product.md §7).
// Imported by the mini-program with `import type`, so keep it free of runtime dependencies.

export type ErrorCode =
  | 'E_VALIDATION'
  | 'E_UNAUTHENTICATED'
  | 'E_NOT_MEMBER'
  | 'E_FORBIDDEN'
  | 'E_NOT_FOUND'
  | 'E_CONFLICT'
  | 'E_RATE_LIMITED'
  | 'E_CONTENT_REJECTED'
  | 'E_UNKNOWN_ACTION'
  | 'E_INTERNAL';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Only with E_RATE_LIMITED: seconds until the same action may be tried again (the message says it too). */
  retryAfterSeconds?: number;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Shape of a function's API map: action name → input and output types. */
export type ApiShape<Api> = { [K in keyof Api]: { input: unknown; output: unknown } };
