import type { TemplateParameter } from '@structured-prompt/contracts';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../auth/session-context.tsx';
import { CodeBlock } from '../../components/json-block.tsx';
import { ErrorState } from '../../components/states.tsx';
import type { TesterState } from './tester-state.ts';

interface TemplateChoiceProps {
  state: TesterState;
  update: (change: Partial<TesterState>) => void;
}

/** The form field of one declared parameter, by its type. */
function ParameterField({
  parameter,
  value,
  onChange,
}: {
  parameter: TemplateParameter;
  value: string;
  onChange: (text: string) => void;
}) {
  const id = `parameter-${parameter.name}`;
  const type = parameter.type ?? 'string';
  const hint = parameter.description ? `${parameter.description} ` : '';
  return (
    <div>
      <label htmlFor={id}>
        {parameter.name}
        {parameter.required ? ' (required)' : ''} <span className="muted">{type}</span>
      </label>
      {type === 'boolean' ? (
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">—</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <input
          id={id}
          type={type === 'number' || type === 'integer' ? 'number' : 'text'}
          step={type === 'integer' ? 1 : 'any'}
          required={parameter.required}
          placeholder={`${hint}${type === 'array' || type === 'object' ? '(JSON)' : ''}`}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </div>
  );
}

/** A prompt template instead of a prompt: its declared parameters become the form. */
export function TemplateChoice({ state, update }: TemplateChoiceProps) {
  const { client } = useSession();
  const templates = useQuery({ queryKey: ['templates'], queryFn: () => client.templates() });
  const chosen = templates.data?.items.find((template) => template.name === state.templateRef);
  return (
    <fieldset>
      <legend>Template (optional)</legend>
      <label htmlFor="template-ref">Template</label>
      <select
        id="template-ref"
        value={state.templateRef}
        onChange={(event) => update({ templateRef: event.target.value, parameters: {} })}
      >
        <option value="">No template: use the prompt</option>
        {templates.data?.items.map((template) => (
          <option key={template.id} value={template.name}>
            {template.name}@{template.latest_version}
          </option>
        ))}
      </select>
      {templates.error && <ErrorState error={templates.error} />}
      {chosen && <CodeBlock label="Template text" text={chosen.latest.template} />}
      {chosen?.latest.parameters.map((parameter) => (
        <ParameterField
          key={parameter.name}
          parameter={parameter}
          value={state.parameters[parameter.name] ?? ''}
          onChange={(text) => update({ parameters: { ...state.parameters, [parameter.name]: text } })}
        />
      ))}
    </fieldset>
  );
}

export function useTemplateParameters(templateRef: string): TemplateParameter[] {
  const { client } = useSession();
  const templates = useQuery({ queryKey: ['templates'], queryFn: () => client.templates() });
  return templates.data?.items.find((template) => template.name === templateRef)?.latest.parameters ?? [];
}
