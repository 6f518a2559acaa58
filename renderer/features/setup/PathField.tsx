import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon.tsx';

/** Props of `PathField`. */
export interface PathFieldProps {
  readonly label: string;
  readonly value: string;
  readonly placeholder: string;
  /** The problem to show under the field (a client check or the host's message), or null. */
  readonly error: string | null;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
  /** The native folder picker (Electron); without it the field is typed in, as in a browser. */
  readonly onBrowse?: (() => void) | undefined;
}

/**
 * A path input with its label, an optional "Browse…" button and its error. The button is named after the field
 * ("Browse… (First folder)") so the two buttons of a pair stay distinguishable to a screen reader.
 */
export function PathField({ label, value, placeholder, error, onChange, onBlur, onBrowse }: PathFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="path-input">
        <input
          id={id}
          type="text"
          spellCheck={false}
          autoComplete="off"
          value={value}
          placeholder={placeholder}
          aria-invalid={error !== null}
          aria-describedby={error === null ? undefined : errorId}
          onChange={(event) => onChange(event.target.value)}
          onBlur={onBlur}
        />
        {onBrowse !== undefined && (
          <button type="button" className="button" aria-label={t('setup.browseFor', { field: label })} onClick={onBrowse}>
            <Icon name="browse" />
            <span>{t('setup.browse')}</span>
          </button>
        )}
      </div>
      {error !== null && <FieldError id={errorId} message={error} />}
    </div>
  );
}

/** An inline error line, referenced by its field's aria-describedby. */
export function FieldError({ id, message }: { readonly id: string; readonly message: string }) {
  return (
    <p className="field-error" id={id}>
      <Icon name="danger" size={14} />
      <span>{message}</span>
    </p>
  );
}
