import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { Icon } from '../../components/Icon.tsx';
import { appStore, useAppStore } from '../../store/store.ts';
import { validateDraft, type PartnershipDraft } from './partnershipDraft.ts';
import { createPartnership, setupHandlerId } from './setupCall.ts';

type Field = 'name' | 'first' | 'second';

/** The form of one partnership kind: name, both sides and exclusions, checked inline. */
export function SetupForm({ initial, onCancel }: { readonly initial: PartnershipDraft; readonly onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [draft, setDraft] = useState(initial);
  const [touched, setTouched] = useState<ReadonlySet<Field>>(new Set());
  const [submitting, setSubmitting] = useState(false);
  const [hostError, setHostError] = useState<string | null>(null);
  const errors = validateDraft(draft);
  const ids = { name: useId(), first: useId(), second: useId(), excludes: useId(), note: useId() };
  const kind = draft.kind;
  const handlerId = useAppStore((state) => setupHandlerId(state.handlers, kind));
  const available = handlerId !== null;

  const update = (patch: Partial<PartnershipDraft>): void => setDraft((current) => ({ ...current, ...patch }));
  const touch = (field: Field): void => setTouched((current) => new Set(current).add(field));
  const errorOf = (field: Field): string | null => {
    const key = errors[field];
    return key !== undefined && touched.has(field) ? t(`setup.errors.${key}`) : null;
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTouched(new Set<Field>(['name', 'first', 'second']));
    if (Object.keys(errors).length > 0 || handlerId === null) return;
    setSubmitting(true);
    setHostError(null);
    createPartnership(api, handlerId, draft)
      .then(() => {
        appStore.getState().announce('announce.partnershipAdded', { name: draft.name });
        appStore.getState().showView('partnerships');
      })
      .catch((error: unknown) => setHostError(errorMessage(error)))
      .finally(() => setSubmitting(false));
  };

  const pathField = (field: 'first' | 'second') => {
    const error = errorOf(field);
    const errorId = `${ids[field]}-error`;
    return (
      <div className="field">
        <label htmlFor={ids[field]}>{t(`setup.kinds.${kind}.${field}`)}</label>
        <input
          id={ids[field]}
          type="text"
          spellCheck={false}
          autoComplete="off"
          value={draft[field]}
          placeholder={t(`setup.kinds.${kind}.placeholder`)}
          aria-invalid={error !== null}
          aria-describedby={error === null ? undefined : errorId}
          onChange={(event) => update({ [field]: event.target.value })}
          onBlur={() => touch(field)}
        />
        {error !== null && <FieldError id={errorId} message={error} />}
      </div>
    );
  };

  const nameError = errorOf('name');
  return (
    <form className="setup-form" aria-label={t(`setup.kinds.${kind}.title`)} onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={ids.name}>{t('setup.name')}</label>
        <input
          id={ids.name}
          type="text"
          value={draft.name}
          maxLength={128}
          aria-invalid={nameError !== null}
          aria-describedby={nameError === null ? undefined : `${ids.name}-error`}
          onChange={(event) => update({ name: event.target.value })}
          onBlur={() => touch('name')}
        />
        {nameError !== null && <FieldError id={`${ids.name}-error`} message={nameError} />}
      </div>
      <div className="field-pair">
        {pathField('first')}
        <Icon name="sync" size={20} className="pair-icon" />
        {pathField('second')}
      </div>
      {kind === 'folders' && (
        <div className="field">
          <label htmlFor={ids.excludes}>{t('setup.excludes')}</label>
          <textarea id={ids.excludes} rows={3} spellCheck={false} value={draft.excludes} placeholder={t('setup.excludesPlaceholder')} onChange={(event) => update({ excludes: event.target.value })} />
        </div>
      )}
      {hostError !== null && <FieldError id={`${ids.note}-host`} message={hostError} />}
      {!available && (
        <p className="form-note" id={ids.note}>
          <Icon name="info" />
          <span>{t('setup.unavailable')}</span>
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button primary" disabled={!available || submitting} aria-describedby={available ? undefined : ids.note}>
          {t('setup.create')}
        </button>
      </div>
    </form>
  );
}

function FieldError({ id, message }: { readonly id: string; readonly message: string }) {
  return (
    <p className="field-error" id={id}>
      <Icon name="danger" size={14} />
      <span>{message}</span>
    </p>
  );
}
