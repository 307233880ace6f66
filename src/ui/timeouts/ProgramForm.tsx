/**
 * The compact form of the Go program's numbers: pool, network, and per goroutine its deadline and
 * what each call meets on the server. Each change re-runs the model.
 */
import type { ClientProgram } from '../../lessons';
import { programFields, type ProgramField } from './programFields';

export interface ProgramFormProps {
  program: ClientProgram;
  onChange: (program: ClientProgram) => void;
}

const GROUP_TITLES = { pool: 'Pool', network: 'Network' } as const;

export function ProgramForm({ program, onChange }: ProgramFormProps) {
  const fields = programFields(program);
  const groups: { title: string; fields: ProgramField[] }[] = [
    { title: GROUP_TITLES.pool, fields: fields.filter((field) => field.group === 'pool') },
    { title: GROUP_TITLES.network, fields: fields.filter((field) => field.group === 'network') },
    ...program.goroutines.map((goroutine) => ({
      title: `goroutine ${goroutine.id}`,
      fields: fields.filter((field) => field.goroutine === goroutine.id),
    })),
  ];
  return (
    <form
      className="ct-form"
      aria-label="Program and server parameters"
      onSubmit={(event) => event.preventDefault()}
    >
      {groups.map((group) => (
        <fieldset key={group.title}>
          <legend>{group.title}</legend>
          {group.fields.map((field) => (
            <label key={field.key} className="ct-field">
              <span className="ct-field-label">{field.label}</span>
              <span className="ct-field-input">
                <input
                  type="number"
                  inputMode="numeric"
                  min={field.min}
                  step={1}
                  value={field.value ?? ''}
                  placeholder={field.emptyMeans ?? ''}
                  data-field={field.key}
                  onChange={(event) => {
                    const text = event.currentTarget.value;
                    if (text === '') {
                      if (field.emptyMeans !== undefined) onChange(field.set(program, null));
                      return;
                    }
                    const value = Number(text);
                    if (Number.isFinite(value) && value >= field.min)
                      onChange(field.set(program, Math.round(value)));
                  }}
                />
                <span className="ct-unit">{field.unit}</span>
              </span>
            </label>
          ))}
        </fieldset>
      ))}
    </form>
  );
}
