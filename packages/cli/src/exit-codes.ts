import { ApiError, StructuredPromptError, ValidationFailedError } from '@structured-prompt/sdk';

/** The exit codes of `sps`, as docs/cli.md lists them. */
export const exitCodes = {
  ok: 0,
  /** Wrong arguments, an unreadable input file, a missing setting. */
  usage: 1,
  /** The service refused or failed the call, or could not be reached. */
  api: 2,
  /** The model's answer did not validate against the schema. */
  validation: 3,
} as const;

/** A mistake in how `sps` was called; exits 1 with the message. */
export class UsageError extends Error {}

/** The exit code and one-line message for an error that ends a command. */
export function exitFor(error: unknown): { code: number; message: string } {
  if (error instanceof ValidationFailedError) {
    const fields = error.errors.map((entry) => `${entry.path || '/'} ${entry.message}`).join('; ');
    return { code: exitCodes.validation, message: `validation failed: ${fields || error.message}` };
  }
  if (error instanceof ApiError) {
    const id = error.requestId ? ` (request ${error.requestId})` : '';
    return { code: exitCodes.api, message: `${error.status} ${error.code}: ${error.problem.detail}${id}` };
  }
  if (error instanceof StructuredPromptError) return { code: exitCodes.api, message: error.message };
  if (error instanceof UsageError) return { code: exitCodes.usage, message: error.message };
  return { code: exitCodes.usage, message: (error as Error)?.message ?? String(error) };
}
