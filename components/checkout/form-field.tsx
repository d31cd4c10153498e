import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

interface FieldProps {
  name: string;
  label: string;
  error?: string;
  hint?: string;
}

/** The id and ARIA wiring every control shares: its error is tied to it, and announced. */
function wiring({ name, error, hint }: FieldProps) {
  const id = `field-${name.replace('.', '-')}`;
  return {
    id,
    control: {
      id,
      name,
      'aria-invalid': error ? true : undefined,
      'aria-describedby':
        [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined,
      className: `h-11 rounded-lg border bg-white px-3 ${error ? 'border-red-700' : 'border-stone-300'}`,
    },
  };
}

function FieldFrame({
  id,
  label,
  error,
  hint,
  children,
}: Omit<FieldProps, 'name'> & { id: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-stone-600">
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled input whose error is tied to it with aria-invalid and aria-describedby. */
export function FormField({
  name,
  label,
  error,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & FieldProps) {
  const { id, control } = wiring({ name, label, error, hint });
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <input {...control} {...input} />
    </FieldFrame>
  );
}

/** The same for a choice from a list, with an empty first option that asks for a choice. */
export function FormSelect({
  name,
  label,
  error,
  hint,
  placeholder,
  options,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> &
  FieldProps & { placeholder: string; options: readonly { value: string; label: string }[] }) {
  const { id, control } = wiring({ name, label, error, hint });
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint}>
      <select {...control} {...select}>
        <option value="">{placeholder}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}
