import type { JsonSchema } from '@structured-prompt/gateway';
import { spanNames, type Tracer } from '../../platform/observability/tracing.ts';
import type { CompiledValidator, ValidatorCache } from './validator-cache.ts';

/**
 * Wraps the validator cache so every validation of a model answer becomes a `validation` span (child
 * of the active provider/cache span) without the pipeline knowing about tracing.
 */
export function traceValidators(
  validators: Pick<ValidatorCache, 'get'>,
  tracer: Tracer,
): Pick<ValidatorCache, 'get'> {
  return {
    get(schema: JsonSchema, hash?: string): CompiledValidator {
      const validator = validators.get(schema, hash);
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
