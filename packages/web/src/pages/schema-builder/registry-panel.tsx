import type { SchemaChange, TargetPreflight } from '@structured-prompt/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import diff from 'microdiff';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../auth/session-context.tsx';
import { ErrorState } from '../../components/states.tsx';

/** Starts from a schema of the registry or its library. */
export function LoadSchema({ onLoad }: { onLoad: (name: string, schema: object) => void }) {
  const { client } = useSession();
  const schemas = useQuery({ queryKey: ['schemas'], queryFn: () => client.schemas() });
  const [chosen, setChosen] = useState('');
  const load = useMutation({
    mutationFn: () => client.schema(chosen),
    onSuccess: (detail) =>
      onLoad(detail.library ? `${detail.name}-copy` : detail.name, detail.latest.schema as object),
  });
  return (
    <div className="row">
      <div>
        <label htmlFor="load-schema">Start from</label>
        <select id="load-schema" value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value="">A new schema</option>
          {schemas.data?.items.map((schema) => (
            <option key={schema.id} value={schema.name}>
              {schema.name}@{schema.latest_version}
              {schema.library ? ' (library)' : ''}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="secondary"
        disabled={!chosen || load.isPending}
        onClick={() => load.mutate()}
      >
        Load
      </button>
      {load.error && <ErrorState error={load.error} />}
    </div>
  );
}

function Changes({ changes }: { changes: SchemaChange[] }) {
  if (changes.length === 0) return <p className="muted">No changes.</p>;
  return (
    <ul>
      {changes.map((change) => (
        <li key={`${change.path}-${change.message}`}>
          <span className="badge">{change.level}</span> <code>{change.path || '/'}</code> {change.message}
        </li>
      ))}
    </ul>
  );
}

function Preflight({ targets }: { targets: TargetPreflight[] }) {
  return (
    <ul>
      {targets.map((target) => (
        <li key={target.target}>
          <strong>{target.target}</strong> ({target.providers.join(', ') || 'no provider configured'}):{' '}
          {target.compiles ? `sent as ${target.mode}` : <span className="error">does not compile</span>}
          {target.warnings.length > 0 && (
            <ul className="warn">
              {target.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A dry run of publishing: the semver bump the registry proposes, what changed, and per-target warnings. */
export function RegistryCheck({ name, schema }: { name: string; schema: object }) {
  const { client } = useSession();
  const check = useMutation({
    mutationFn: async () => {
      try {
        return await client.publishSchemaVersion(name, { schema, dry_run: true });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  return (
    <section aria-labelledby="check-title">
      <h2 id="check-title">Registry check</h2>
      <button
        type="button"
        className="secondary"
        disabled={!name || check.isPending}
        onClick={() => check.mutate()}
      >
        Check against the registry
      </button>
      {check.error && <ErrorState error={check.error} />}
      {check.data === null && <p role="status">A new schema: it will be published as 1.0.0.</p>}
      {check.data && (
        <div role="status">
          <p>
            Proposed version <strong>{check.data.proposed_version}</strong>
          </p>
          <Changes changes={check.data.changes} />
          {check.data.preflight && <Preflight targets={check.data.preflight} />}
        </div>
      )}
    </section>
  );
}

function semverOrder(a: string, b: string): number {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  return (x[0]! - y[0]!) * 1e6 + (x[1]! - y[1]!) * 1e3 + (x[2]! - y[2]!);
}

/** Two published versions side by side: what changed between them. */
export function VersionDiff({ name, savedVersion }: { name: string; savedVersion: string | undefined }) {
  const { client } = useSession();
  const versions = useQuery({
    queryKey: ['schema-versions', name, savedVersion],
    queryFn: () => client.schemaVersions(name),
    retry: false,
  });
  const items = [...(versions.data?.items ?? [])].sort((a, b) => semverOrder(a.version, b.version));
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  if (items.length < 2) return null;
  const before = items.find((item) => item.version === from) ?? items.at(-2)!;
  const after = items.find((item) => item.version === to) ?? items.at(-1)!;
  const differences = diff(before.schema as object, after.schema as object);
  const pick = (id: string, label: string, value: string, set: (version: string) => void) => (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => set(event.target.value)}>
        {items.map((item) => (
          <option key={item.version}>{item.version}</option>
        ))}
      </select>
    </div>
  );
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">Compare versions</h2>
      <div className="row">
        {pick('diff-from', 'From', before.version, setFrom)}
        {pick('diff-to', 'To', after.version, setTo)}
      </div>
      <ul aria-label="Differences">
        {differences.map((change) => (
          <li
            key={`${change.type}-${change.path.join('/')}`}
            className={change.type === 'REMOVE' ? 'diff-removed' : 'diff-added'}
          >
            {change.type.toLowerCase()} <code>/{change.path.join('/')}</code>
            {'value' in change ? ` = ${JSON.stringify(change.value)}` : ''}
          </li>
        ))}
      </ul>
      <h3>What the registry recorded for {after.version}</h3>
      <Changes changes={after.changes} />
    </section>
  );
}
