import { type Static, Type } from 'typebox';

/** One offending field of a request, or one validation error of a model's output. */
export const FieldError = Type.Object(
  {
    path: Type.String({ description: 'JSON Pointer to the offending value, "" for the whole document' }),
    message: Type.String(),
    keyword: Type.Optional(Type.String({ description: 'JSON Schema keyword that failed, when known' })),
  },
  { $id: 'FieldError' },
);
export type FieldError = Static<typeof FieldError>;

/** RFC 9457 problem details, as every 4xx and 5xx answer of the service is shaped. */
export const Problem = Type.Object(
  {
    type: Type.String({
      description: 'URN identifying the problem type',
      examples: ['urn:structured-prompt:problem:validation_error'],
    }),
    title: Type.String({ examples: ['Request validation failed'] }),
    status: Type.Integer({ minimum: 400, maximum: 599, examples: [400] }),
    detail: Type.String({ examples: ['body/prompt must NOT have fewer than 1 characters'] }),
    code: Type.String({ description: 'Machine-readable error code', examples: ['validation_error'] }),
    request_id: Type.String({ examples: ['01a2389f-5c11-7e3a-9b4d-2f6c1a8e0d47'] }),
    instance: Type.Optional(Type.String({ description: 'Path of the request that failed' })),
    errors: Type.Optional(Type.Array(FieldError)),
    retry_after_seconds: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);
export type Problem = Static<typeof Problem>;
