import { type Static, Type } from 'typebox';
import { AnalyzeRequest } from './analyze.ts';
import { analyzeRequestExamples } from './schema-examples.ts';

/** The body of `POST /v1/analyze`: an analyze request that may ask for its answer as a stream. */
export const AnalyzeRouteRequest = Type.Object(
  {
    ...AnalyzeRequest.properties,
    stream: Type.Optional(
      Type.Boolean({
        description:
          'Answer with server-sent events (`partial`, `attempt`, then `final` or `error`), as ' +
          '`Accept: text/event-stream` does.',
      }),
    ),
  },
  {
    $id: 'AnalyzeRouteRequest',
    additionalProperties: false,
    description:
      'A prompt to analyze, optionally with the JSON Schema the answer must satisfy, answered whole or streamed',
    examples: analyzeRequestExamples,
  },
);
export type AnalyzeRouteRequest = Static<typeof AnalyzeRouteRequest>;
