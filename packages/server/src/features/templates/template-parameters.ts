import type { FieldError, TemplateParameter } from '@structured-prompt/contracts';
import type { JsonSchema } from '@structured-prompt/gateway';
import { AppError } from '../../lib/app-error.ts';
import { schemaHash } from '../../lib/canonical-json.ts';
import type { ValidatorCache } from '../analyze/validator-cache.ts';

type Validators = Pick<ValidatorCache, 'get'>;

/** The declared parameters as a JSON Schema: types, required names, and nothing undeclared. */
function parametersSchema(parameters: readonly TemplateParameter[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const parameter of parameters) properties[parameter.name] = { type: parameter.type ?? 'string' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties,
    required: parameters
      .filter((parameter) => parameter.required === true)
      .map((parameter) => parameter.name),
    additionalProperties: false,
  } as JsonSchema;
}

function prefixed(errors: FieldError[]): FieldError[] {
  return errors.map((error) => ({ ...error, path: `/body/parameters${error.path}` }));
}

/**
 * Checks a declaration when a version is published: unique names, defaults of the declared type, no
 * default on a required parameter, and every variable the text reads declared.
 */
export function checkDeclaration(
  parameters: readonly TemplateParameter[],
  textVariables: readonly string[],
  validators: Validators,
): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  parameters.forEach((parameter, index) => {
    if (seen.has(parameter.name))
      errors.push({
        path: `/body/parameters/${index}/name`,
        message: 'is declared twice',
        keyword: 'uniqueItems',
      });
    seen.add(parameter.name);
    if (parameter.default === undefined) return;
    if (parameter.required === true)
      errors.push({
        path: `/body/parameters/${index}/default`,
        message: 'a required parameter takes no default',
      });
    const schema = { type: parameter.type ?? 'string' } as JsonSchema;
    if (validators.get(schema, schemaHash(schema)).validate(parameter.default).length > 0)
      errors.push({
        path: `/body/parameters/${index}/default`,
        message: `must be of type ${parameter.type ?? 'string'}`,
        keyword: 'type',
      });
  });
  for (const variable of textVariables) {
    if (!seen.has(variable))
      errors.push({
        path: '/body/template',
        message: `reads "${variable}", which is not a declared parameter`,
      });
  }
  if (errors.length > 0)
    throw new AppError('validation_error', 'The template or its parameter declaration is invalid.', {
      errors,
    });
}

/**
 * The values a render sees: the caller's, validated against the declaration (400 with every
 * parameter error), then defaults, then null for optional parameters left out, so `{% if x %}` works
 * under strict variables.
 */
export function renderValues(
  parameters: readonly TemplateParameter[],
  given: Record<string, unknown> | undefined,
  validators: Validators,
): Record<string, unknown> {
  const values = given ?? {};
  const schema = parametersSchema(parameters);
  const errors = validators.get(schema, schemaHash(schema)).validate(values);
  if (errors.length > 0) {
    throw new AppError('validation_error', 'The template parameters are invalid.', {
      errors: prefixed(errors),
    });
  }
  const result: Record<string, unknown> = {};
  for (const parameter of parameters) {
    result[parameter.name] = Object.hasOwn(values, parameter.name)
      ? values[parameter.name]
      : (parameter.default ?? null);
  }
  return result;
}
