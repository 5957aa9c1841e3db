import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted" role="status">
      {label}
    </p>
  );
}

/** A failed call, with the service's explanation and request id when it gave them. */
export function ErrorState({ error }: { error: unknown }) {
  const detail = error instanceof ApiError ? error.problem.detail : undefined;
  const message = detail ?? (error instanceof Error ? error.message : 'Something went wrong.');
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div role="alert" className="error-box">
      <strong>Could not load this.</strong> {message}
      {requestId && <span className="muted"> (request {requestId})</span>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
