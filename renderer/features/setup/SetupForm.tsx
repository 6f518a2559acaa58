import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictPolicy } from '../../../app/control/schemas.ts';
import { useApi, usePickFolder, useRefresh } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { Icon } from '../../components/Icon.tsx';
import { appStore, useAppStore } from '../../store/store.ts';
import { conflictPolicies, examplePath, hostErrorField, validateDraft, type PartnershipDraft } from './partnershipDraft.ts';
import { FieldError, PathField } from './PathField.tsx';
import { createPartnership, setupHandlerId } from './setupCall.ts';

type Field = 'name' | 'first' | 'second';

/** The host's refusal, placed next to the path it names, or under the form when it names none. */
interface HostError {
  readonly field: 'first' | 'second' | null;
  readonly message: string;
}

/**
 * The form of one partnership kind: name, both sides, what to leave out and what to do on conflicts. What the
 * window can check is checked inline as the user leaves a field; the host's answer (a missing folder, no
 * permission) is shown next to the path it is about. On success the new item is shown, selected, in its list.
 */
export function SetupForm({ initial, onCancel }: { readonly initial: PartnershipDraft; readonly onCancel: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const refresh = useRefresh();
  const pickFolder = usePickFolder();
  const [draft, setDraft] = useState(initial);
  const [touched, setTouched] = useState<ReadonlySet<Field>>(new Set());
  const [submitting, setSubmitting] = useState(false);
  const [hostError, setHostError] = useState<HostError | null>(null);
  // Bumped when a submit finds a problem: focus then moves to the first field that says what is wrong.
  const [focusInvalid, setFocusInvalid] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (focusInvalid > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusInvalid]);
  const errors = validateDraft(draft);
  const ids = { name: useId(), excludes: useId(), policy: useId(), policyHint: useId(), note: useId() };
  const kind = draft.kind;
  const handlerId = useAppStore((state) => setupHandlerId(state.handlers, kind));
  const platform = useAppStore((state) => state.hostInfo?.platform ?? null);
  const available = handlerId !== null;
  const example = examplePath(kind, platform);

  const update = (patch: Partial<PartnershipDraft>): void => {
    setDraft((current) => ({ ...current, ...patch }));
    // The host's message was about the old value; editing that field makes it stale.
    if (hostError !== null && (hostError.field === null || hostError.field in patch)) setHostError(null);
  };
  const touch = (field: Field): void => setTouched((current) => new Set(current).add(field));
  const errorOf = (field: Field): string | null => {
    if (field !== 'name' && hostError?.field === field) return hostError.message;
    const key = errors[field];
    return key !== undefined && touched.has(field) ? t(`setup.errors.${key}`, { example }) : null;
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTouched(new Set<Field>(['name', 'first', 'second']));
    if (Object.keys(errors).length > 0 || handlerId === null) {
      setFocusInvalid((count) => count + 1);
      return;
    }
    setSubmitting(true);
    setHostError(null);
    createPartnership(api, handlerId, draft)
      .then((item) => {
        const state = appStore.getState();
        state.revealItem(handlerId, item.id);
        state.announce('announce.partnershipAdded', { name: item.name.length > 0 ? item.name : draft.name.trim() });
        // The host also says handlersChanged; reading now shows the new row without waiting for it.
        refresh();
      })
      .catch((error: unknown) => {
        const message = errorMessage(error);
        setHostError({ field: hostErrorField(message, draft), message });
        setSubmitting(false);
        setFocusInvalid((count) => count + 1);
      });
  };

  const browse = (field: 'first' | 'second'): (() => void) | undefined => {
    if (pickFolder === undefined || kind !== 'folders') return undefined;
    return () => {
      void pickFolder().then((path) => {
        if (path === null) return;
        update({ [field]: path });
        touch(field);
      });
    };
  };

  const pathField = (field: 'first' | 'second') => (
    <PathField
      label={t(`setup.kinds.${kind}.${field}`)}
      value={draft[field]}
      placeholder={example}
      error={errorOf(field)}
      onChange={(value) => update({ [field]: value })}
      onBlur={() => touch(field)}
      onBrowse={browse(field)}
    />
  );

  const nameError = errorOf('name');
  return (
    <form ref={form} className="setup-form" aria-label={t(`setup.kinds.${kind}.title`)} onSubmit={submit} noValidate>
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
      <div className="field">
        <label htmlFor={ids.policy}>{t('setup.policy')}</label>
        <select id={ids.policy} value={draft.policy} aria-describedby={ids.policyHint} onChange={(event) => update({ policy: event.target.value as ConflictPolicy })}>
          {conflictPolicies.map((policy) => (
            <option key={policy} value={policy}>
              {t(`setup.policies.${policy}.label`, { first: t(`setup.kinds.${kind}.firstShort`), second: t(`setup.kinds.${kind}.secondShort`) })}
            </option>
          ))}
        </select>
        <p id={ids.policyHint} className="field-hint">
          {t(`setup.policies.${draft.policy}.hint`, { first: t(`setup.kinds.${kind}.firstShort`), second: t(`setup.kinds.${kind}.secondShort`) })}
        </p>
      </div>
      {kind === 'folders' && (
        <div className="field">
          <label htmlFor={ids.excludes}>{t('setup.excludes')}</label>
          <textarea id={ids.excludes} rows={3} spellCheck={false} value={draft.excludes} placeholder={t('setup.excludesPlaceholder')} onChange={(event) => update({ excludes: event.target.value })} />
          <p className="field-hint">{t('setup.excludesHint')}</p>
        </div>
      )}
      {hostError !== null && hostError.field === null && (
        <div role="alert">
          <FieldError id={`${ids.note}-host`} message={hostError.message} />
        </div>
      )}
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
