import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../auth/session-context.tsx';
import type { TesterState } from './tester-state.ts';

interface ProviderOptionsProps {
  state: TesterState;
  update: (change: Partial<TesterState>) => void;
}

/** Provider, model and generation options; empty fields leave the choice to the service. */
export function ProviderOptions({ state, update }: ProviderOptionsProps) {
  const { client } = useSession();
  const providers = useQuery({ queryKey: ['providers'], queryFn: () => client.providers() });
  const enabled = providers.data?.providers.filter((provider) => provider.enabled) ?? [];
  const models = enabled.find((provider) => provider.name === state.provider)?.models ?? [];
  return (
    <fieldset>
      <legend>Provider and options</legend>
      <div className="row">
        <div>
          <label htmlFor="provider">Provider</label>
          <select
            id="provider"
            value={state.provider}
            onChange={(event) => update({ provider: event.target.value, model: '' })}
          >
            <option value="">Automatic ({providers.data?.strategy ?? 'router'})</option>
            {enabled.map((provider) => (
              <option key={provider.name} value={provider.name}>
                {provider.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="model">Model</label>
          <select id="model" value={state.model} onChange={(event) => update({ model: event.target.value })}>
            <option value="">Provider default</option>
            {models.map((model) => (
              <option key={model}>{model}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="temperature">Temperature</label>
          <input
            id="temperature"
            type="number"
            min={0}
            max={2}
            step={0.1}
            value={state.temperature}
            onChange={(event) => update({ temperature: event.target.value })}
          />
        </div>
        <div>
          <label htmlFor="validation">Validation</label>
          <select
            id="validation"
            value={state.validation}
            onChange={(event) => update({ validation: event.target.value as TesterState['validation'] })}
          >
            <option value="">Service default</option>
            <option value="strict">Strict</option>
            <option value="relaxed">Relaxed</option>
            <option value="off">Off</option>
          </select>
        </div>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={state.bypassCache}
          onChange={(event) => update({ bypassCache: event.target.checked })}
        />
        Bypass the cache
      </label>
    </fieldset>
  );
}
