import { CopyButton } from '../../components/copy-button.tsx';

/** A new secret, shown this once: the service keeps only its hash. */
export function SecretOnce({ secret, name, onDone }: { secret: string; name: string; onDone: () => void }) {
  return (
    <div className="notice" role="status">
      <p>
        <strong>Secret of {name}</strong>: copy it now. It is not shown again.
      </p>
      <input
        className="secret"
        readOnly
        value={secret}
        aria-label={`Secret of ${name}`}
        onFocus={(event) => event.target.select()}
      />
      <div className="actions">
        <CopyButton text={secret} label="Copy secret" />
        <button type="button" className="secondary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}
