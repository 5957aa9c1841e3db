import type { AnalyzeInput, AnalyzeResult, SchemaLike, StructuredPromptClient } from '@structured-prompt/sdk';
import pc from 'picocolors';
import type { Printer } from '../output.ts';

/**
 * A streamed analyze call. On a terminal (stderr) the partial object is redrawn on one line as it
 * grows, then cleared; re-asks are noted on stderr. Only the validated answer reaches stdout, so
 * piped output is the same as without `--stream`.
 */
export async function streamAnalyze(
  client: StructuredPromptClient,
  request: AnalyzeInput,
  printer: Printer,
): Promise<AnalyzeResult<unknown>> {
  const live = liveLine(process.stderr.isTTY === true && !printer.quiet);
  // Ctrl-C closes the stream (so the service stops the provider call) instead of leaving it open.
  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  try {
    for await (const event of client.analyzeStream<unknown, SchemaLike>(request, {
      signal: controller.signal,
    })) {
      if (event.type === 'partial') live.show(JSON.stringify(event.data));
      else if (event.type === 'attempt') {
        live.clear();
        const fields = event.errors.map((error) => `${error.path || '/'} ${error.message}`).join('; ');
        printer.info(pc.yellow(`re-asking (attempt ${event.attempt}): ${fields}`));
      } else return event.result;
    }
  } finally {
    live.clear();
    process.off('SIGINT', interrupt);
  }
  throw new Error('the stream ended without an answer');
}

/** One status line on stderr, rewritten in place; its tail is kept when wider than the terminal. */
function liveLine(enabled: boolean) {
  let shown = false;
  return {
    show(text: string) {
      if (!enabled) return;
      const width = Math.max(20, (process.stderr.columns || 80) - 1);
      const fitted = text.length > width ? `…${text.slice(text.length - width + 1)}` : text;
      process.stderr.write(`\r\u001b[2K${pc.dim(fitted)}`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      process.stderr.write('\r\u001b[2K');
      shown = false;
    },
  };
}
