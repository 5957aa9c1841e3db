import type { JsonSchema } from '../lib/json-schema-types.ts';
import type { CompiledValidator, ValidatorCache } from '../modules/analyze/validator-cache.ts';
import { spanNames, type Tracer } from './tracing.ts';

/**
 * Wraps the validator cache so every validation of a model answer becomes a `validation` span (child
 * of the active provider/cache span) without the pipeline knowing about tracing.
 */
export function traceValidators(
  validators: Pick<ValidatorCache, 'get'>,
  tracer: Tracer,
): Pick<ValidatorCache, 'get'> {
  return {
    get(schema: JsonSchema): CompiledValidator {
      const validator = validators.get(schema);
      return {
        ...validator,
        validate(data: unknown) {
          const started = performance.now();
          const errors = validator.validate(data);
          tracer.recordSpan(
            spanNames.validation,
            { 'sps.validation.errors': errors.length },
            { durationMs: performance.now() - started },
          );
          return errors;
        },
      };
    },
  };
}
