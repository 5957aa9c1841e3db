import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSession } from '../../auth/session-context.tsx';
import { ErrorState } from '../../components/states.tsx';

/** A batch job from prompts typed one per line, answered with the default schema or a registry one. */
export function SubmitJob() {
  const { client } = useSession();
  const queries = useQueryClient();
  const [prompts, setPrompts] = useState('');
  const [schemaId, setSchemaId] = useState('');
  const submit = useMutation({
    mutationFn: () =>
      client.createJob({
        items: prompts
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean)
          .map((prompt) => (schemaId ? { prompt, schema_id: schemaId } : { prompt })),
      }),
    onSuccess: () => {
      setPrompts('');
      return queries.invalidateQueries({ queryKey: ['jobs'] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };
  return (
    <form className="card" onSubmit={onSubmit} aria-labelledby="submit-job-title">
      <h2 id="submit-job-title">New batch job</h2>
      <label htmlFor="job-prompts">Prompts, one per line</label>
      <textarea
        id="job-prompts"
        value={prompts}
        onChange={(event) => setPrompts(event.target.value)}
        required
      />
      <label htmlFor="job-schema">Registry schema (optional)</label>
      <input
        id="job-schema"
        placeholder="invoice-extraction"
        value={schemaId}
        onChange={(event) => setSchemaId(event.target.value)}
      />
      <div className="actions">
        <button type="submit" disabled={submit.isPending || !prompts.trim()}>
          Submit job
        </button>
      </div>
      {submit.error && <ErrorState error={submit.error} />}
      {submit.data && <p role="status">Job {submit.data.id} accepted.</p>}
    </form>
  );
}
