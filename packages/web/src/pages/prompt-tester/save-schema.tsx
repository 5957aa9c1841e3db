import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session-context.tsx';
import { ErrorState } from '../../components/states.tsx';

/**
 * Saves a schema to the registry under a name: a new version when the name exists (the service proposes
 * the semver bump from what changed), otherwise a new schema at 1.0.0.
 */
export function useSaveSchema() {
  const { client } = useSession();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async ({ name, schema }: { name: string; schema: object }) => {
      try {
        await client.schema(name);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          const created = await client.createSchema({ name, schema, visibility: 'private' });
          return { name, version: created.latest_version };
        }
        throw error;
      }
      const published = await client.publishSchemaVersion(name, { schema });
      return { name, version: published.version };
    },
    onSuccess: () => queries.invalidateQueries({ queryKey: ['schemas'] }),
  });
}

/** "Save as schema version" for a schema written in the page. */
export function SaveSchema({ schema }: { schema: () => object }) {
  const [name, setName] = useState('');
  const save = useSaveSchema();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ name: name.trim(), schema: schema() });
  };
  return (
    <form className="row" onSubmit={submit} aria-label="Save as schema version">
      <div>
        <label htmlFor="save-schema-name">Save schema as</label>
        <input
          id="save-schema-name"
          pattern="[a-z0-9][a-z0-9_.\-]*"
          placeholder="my-schema"
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
        />
      </div>
      <button type="submit" disabled={save.isPending}>
        Save as schema version
      </button>
      {save.data && (
        <p role="status" className="ok">
          Saved {save.data.name}@{save.data.version}.
        </p>
      )}
      {save.error && <ErrorState error={save.error} />}
    </form>
  );
}
