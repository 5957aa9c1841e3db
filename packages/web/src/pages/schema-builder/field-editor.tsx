import { type Field, type FieldType, moveField, newField, replaceField } from './field-model.ts';

const types: FieldType[] = ['string', 'number', 'integer', 'boolean', 'enum', 'array', 'object'];
const formats = ['', 'date', 'date-time', 'time', 'email', 'uri', 'uuid', 'hostname', 'ipv4', 'ipv6'];
const boundLabels: Partial<Record<FieldType, string>> = {
  string: 'length',
  number: 'value',
  integer: 'value',
  array: 'items',
};

interface FieldEditorProps {
  field: Field;
  path: string;
  onChange: (field: Field | null) => void;
  onMove: (offset: number) => void;
  isItems?: boolean;
}

function Constraints({
  field,
  path,
  set,
}: {
  field: Field;
  path: string;
  set: (change: Partial<Field>) => void;
}) {
  const bound = boundLabels[field.type];
  const input = (name: 'min' | 'max' | 'pattern' | 'values', label: string, type = 'text') => (
    <div>
      <label htmlFor={`${path}-${name}`}>{label}</label>
      <input
        id={`${path}-${name}`}
        type={type}
        value={field[name]}
        onChange={(event) => set({ [name]: event.target.value })}
      />
    </div>
  );
  return (
    <div className="row">
      {bound && input('min', `Min ${bound}`, 'number')}
      {bound && input('max', `Max ${bound}`, 'number')}
      {field.type === 'string' && input('pattern', 'Pattern')}
      {field.type === 'string' && (
        <div>
          <label htmlFor={`${path}-format`}>Format</label>
          <select
            id={`${path}-format`}
            value={field.format}
            onChange={(event) => set({ format: event.target.value })}
          >
            {formats.map((format) => (
              <option key={format} value={format}>
                {format || 'none'}
              </option>
            ))}
          </select>
        </div>
      )}
      {field.type === 'enum' && input('values', 'Values (comma-separated)')}
    </div>
  );
}

function RowButtons({
  label,
  onMove,
  onRemove,
}: {
  label: string;
  onMove: (offset: number) => void;
  onRemove: () => void;
}) {
  return (
    <div className="actions">
      <button type="button" className="secondary" aria-label={`Move ${label} up`} onClick={() => onMove(-1)}>
        ↑
      </button>
      <button type="button" className="secondary" aria-label={`Move ${label} down`} onClick={() => onMove(1)}>
        ↓
      </button>
      <button type="button" className="danger" aria-label={`Remove ${label}`} onClick={onRemove}>
        ✕
      </button>
    </div>
  );
}

/** One field: name, type, required, description, constraints, and its nested fields. */
function FieldEditor({ field, path, onChange, onMove, isItems = false }: FieldEditorProps) {
  const set = (change: Partial<Field>) => {
    const next = { ...field, ...change };
    if (change.type === 'array' && field.type !== 'array') next.children = [newField('string', 'items')];
    if (change.type === 'object' && field.type !== 'object') next.children = [];
    onChange(next);
  };
  const label = field.name || 'unnamed field';
  return (
    <fieldset className={path.includes('.') ? 'nested' : undefined}>
      <legend>{isItems ? 'Each item' : label}</legend>
      <div className="field-row">
        {!isItems && (
          <div>
            <label htmlFor={`${path}-name`}>Field name</label>
            <input
              id={`${path}-name`}
              value={field.name}
              onChange={(event) => set({ name: event.target.value })}
            />
          </div>
        )}
        <div>
          <label htmlFor={`${path}-type`}>Type</label>
          <select
            id={`${path}-type`}
            value={field.type}
            onChange={(event) => set({ type: event.target.value as FieldType })}
          >
            {types.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </div>
        {!isItems && (
          <label className="checkbox">
            <input
              type="checkbox"
              checked={field.required}
              onChange={(event) => set({ required: event.target.checked })}
            />
            Required
          </label>
        )}
        {!isItems && <RowButtons label={label} onMove={onMove} onRemove={() => onChange(null)} />}
      </div>
      <label htmlFor={`${path}-description`}>Description</label>
      <input
        id={`${path}-description`}
        value={field.description}
        onChange={(event) => set({ description: event.target.value })}
      />
      <Constraints field={field} path={path} set={set} />
      {field.type === 'object' && (
        <FieldList
          fields={field.children}
          path={path}
          owner={label}
          onChange={(children) => set({ children })}
        />
      )}
      {field.type === 'array' && field.children[0] && (
        <FieldEditor
          field={field.children[0]}
          path={`${path}.items`}
          isItems
          onChange={(items) => set({ children: items ? [items] : [] })}
          onMove={() => {}}
        />
      )}
    </fieldset>
  );
}

/** The fields of an object, with a button to add one. */
interface FieldListProps {
  fields: Field[];
  path: string;
  /** The object these fields belong to; none for the top level. */
  owner?: string;
  onChange: (fields: Field[]) => void;
}

export function FieldList({ fields, path, owner, onChange }: FieldListProps) {
  return (
    <div>
      {fields.map((field, index) => (
        <FieldEditor
          key={field.key}
          field={field}
          path={`${path}.${index}`}
          onChange={(next) => onChange(replaceField(fields, field.key, next))}
          onMove={(offset) => onChange(moveField(fields, field.key, offset))}
        />
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...fields, newField()])}>
        Add field{owner ? ` to ${owner}` : ''}
      </button>
    </div>
  );
}
