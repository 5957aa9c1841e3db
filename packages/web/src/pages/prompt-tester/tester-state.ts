import type { AnalyzeRequest, TemplateParameter } from '@structured-prompt/contracts';
import { parseJson } from '../../lib/format.ts';

export type SchemaMode = 'default' | 'registry' | 'inline';

export interface TesterState {
  prompt: string;
  schemaMode: SchemaMode;
  schemaRef: string;
  schemaText: string;
  templateRef: string;
  parameters: Record<string, string>;
  provider: string;
  model: string;
  temperature: string;
  validation: '' | 'strict' | 'relaxed' | 'off';
  bypassCache: boolean;
  /** Ask for server-sent events and show the partial answer while it is written. */
  stream: boolean;
}

export const initialState: TesterState = {
  prompt: '',
  schemaMode: 'default',
  schemaRef: '',
  schemaText: '{\n  "type": "object",\n  "properties": {},\n  "required": []\n}\n',
  templateRef: '',
  parameters: {},
  provider: '',
  model: '',
  temperature: '',
  validation: '',
  bypassCache: false,
  stream: false,
};

/** A form field's text as the value its declared parameter type expects. */
function parameterValue(text: string, parameter: TemplateParameter | undefined): unknown {
  const type = parameter?.type ?? 'string';
  if (type === 'string') return text;
  if (type === 'number' || type === 'integer') return Number(text);
  if (type === 'boolean') return text === 'true';
  const parsed = parseJson(text);
  if ('error' in parsed) throw new Error(`Parameter ${parameter?.name}: ${parsed.error}`);
  return parsed.value;
}

function schemaPart(state: TesterState): Partial<AnalyzeRequest> {
  if (state.schemaMode === 'registry' && state.schemaRef) return { schema_id: state.schemaRef };
  if (state.schemaMode !== 'inline') return {};
  const parsed = parseJson(state.schemaText);
  if ('error' in parsed) throw new Error(`The schema is not valid JSON: ${parsed.error}`);
  return { schema: parsed.value as Record<string, unknown> };
}

/** The analyze request the form describes; throws with a message a person can act on. */
export function buildRequest(state: TesterState, parameters: TemplateParameter[]): AnalyzeRequest {
  const request: AnalyzeRequest = { ...schemaPart(state) };
  if (state.templateRef) {
    request.template_id = state.templateRef;
    request.parameters = {};
    for (const parameter of parameters) {
      const text = state.parameters[parameter.name];
      if (text === undefined || text === '') continue;
      request.parameters[parameter.name] = parameterValue(text, parameter);
    }
  } else {
    if (!state.prompt.trim()) throw new Error('Write a prompt, or pick a template.');
    request.prompt = state.prompt;
  }
  if (state.provider) request.provider = state.provider;
  if (state.model) request.model = state.model;
  if (state.temperature !== '') request.temperature = Number(state.temperature);
  const options: NonNullable<AnalyzeRequest['options']> = {};
  if (state.validation) options.validation = state.validation;
  if (state.bypassCache) options.bypass_cache = true;
  if (Object.keys(options).length > 0) request.options = options;
  return request;
}
