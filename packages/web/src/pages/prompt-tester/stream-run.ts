import type { AnalyzeRequest, AnalyzeResponse } from '@structured-prompt/contracts';
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client.ts';

/** A streamed run: the partial object so far, the re-asks announced, then the answer or the error. */
export interface StreamRun {
  running: boolean;
  partial?: unknown;
  attempt: number;
  reasks: string[];
  result?: AnalyzeResponse;
  error?: unknown;
}

const idle: StreamRun = { running: false, attempt: 1, reasks: [] };

/** Runs analyze as a stream; a new run, or leaving the page, cancels the one in flight. */
export function useStreamRun(client: ApiClient) {
  const [run, setRun] = useState<StreamRun>(idle);
  const controller = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => controller.current?.abort(), []);

  const start = async (request: () => AnalyzeRequest) => {
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    // Only the newest run may change what is shown.
    const apply = (next: (previous: StreamRun) => StreamRun) => {
      if (controller.current === current) setRun(next);
    };
    const update = (change: Partial<StreamRun>) => apply((previous) => ({ ...previous, ...change }));
    setRun({ ...idle, running: true });
    try {
      for await (const event of client.analyzeStream(request(), current.signal)) {
        if (event.type === 'partial') update({ partial: event.data, attempt: event.attempt });
        else if (event.type === 'attempt') {
          const errors = event.errors.map((error) => `${error.path || '/'} ${error.message}`).join('; ');
          apply((previous) => ({
            ...previous,
            partial: undefined,
            attempt: event.attempt,
            reasks: [...previous.reasks, `Attempt ${event.attempt} after: ${errors}`],
          }));
        } else update({ result: event.result as AnalyzeResponse, running: false });
      }
    } catch (error) {
      if (!current.signal.aborted) update({ error, running: false });
    }
  };
  return { run, start, clear: () => setRun(idle) };
}
