import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScheduleTriggerKind, Weekday } from '../../../app/control/schemas.ts';
import { FieldError } from '../setup/PathField.tsx';
import { triggerKinds, validateDraft, weekdays, type DraftErrors, type ScheduleDraft, type ScheduleScope } from './scheduleDraft.ts';

/** Props of `ScheduleForm`. */
export interface ScheduleFormProps {
  readonly initial: ScheduleDraft;
  /** Names for the scope choices: the handler, the selected item (null for a handler), how many items a kept selection has. */
  readonly handlerName: string;
  readonly itemName: string | null;
  readonly keptCount: number;
  /** Saves; rejects with the host's message to show. */
  readonly onSave: (draft: ScheduleDraft) => Promise<void>;
  readonly onCancel: () => void;
}

type Field = keyof DraftErrors;

/**
 * Creates or edits one schedule: its name, what it syncs, when, and under which conditions. Fields that do not
 * apply to the chosen trigger are not shown. What the window can check is checked on Save, with focus moved to the
 * first field that says what is wrong; the host's refusal is shown under the form.
 */
export function ScheduleForm({ initial, handlerName, itemName, keptCount, onSave, onCancel }: ScheduleFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(initial);
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [hostError, setHostError] = useState<string | null>(null);
  const [focusInvalid, setFocusInvalid] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  useEffect(() => {
    if (focusInvalid > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')?.focus();
  }, [focusInvalid]);
  const errors = validateDraft(draft);
  const errorOf = (field: Field): string | null => {
    const key = errors[field];
    return submitted && key !== undefined ? t(`schedules.errors.${key}`) : null;
  };
  const update = (patch: Partial<ScheduleDraft>): void => {
    setDraft((current) => ({ ...current, ...patch }));
    setHostError(null);
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(errors).length > 0) {
      setFocusInvalid((count) => count + 1);
      return;
    }
    setSaving(true);
    onSave(draft).catch((error: unknown) => {
      setHostError(error instanceof Error ? error.message : String(error));
      setSaving(false);
      setFocusInvalid((count) => count + 1);
    });
  };

  const scopes: ScheduleScope[] = [...(keptCount > 0 ? (['kept'] as const) : []), ...(itemName !== null ? (['item'] as const) : []), 'handler'];
  const scopeLabel = (scope: ScheduleScope): string =>
    scope === 'handler' ? t('schedules.scope.handler', { name: handlerName }) : scope === 'item' ? t('schedules.scope.item', { name: itemName ?? '' }) : t('schedules.scope.kept', { count: keptCount });

  return (
    <form ref={form} className="schedule-form" aria-labelledby="schedule-form-title" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('schedules.form.name')}</label>
        <input id={`${id}-name`} type="text" value={draft.name} maxLength={128} aria-describedby={`${id}-name-hint`} autoFocus onChange={(event) => update({ name: event.target.value })} />
        <p id={`${id}-name-hint`} className="field-hint">
          {t('schedules.form.nameHint')}
        </p>
      </div>
      {scopes.length > 1 && (
        <fieldset className="field choice-group">
          <legend>{t('schedules.form.scope')}</legend>
          {scopes.map((scope) => (
            <label key={scope} className="check-option">
              <input type="radio" name={`${id}-scope`} checked={draft.scope === scope} onChange={() => update({ scope })} />
              <span>{scopeLabel(scope)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('schedules.form.when')}</label>
        <select id={`${id}-kind`} value={draft.kind} aria-describedby={`${id}-kind-hint`} onChange={(event) => update({ kind: event.target.value as ScheduleTriggerKind })}>
          {triggerKinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`schedules.form.kinds.${kind}`)}
            </option>
          ))}
        </select>
        <p id={`${id}-kind-hint`} className="field-hint">
          {t(`schedules.form.hints.${draft.kind}`)}
        </p>
      </div>
      <TriggerFields draft={draft} id={id} update={update} errorOf={errorOf} />
      <fieldset className="field choice-group">
        <legend>{t('schedules.form.conditions')}</legend>
        <label className="check-option">
          <input type="checkbox" checked={draft.acPowerOnly} onChange={(event) => update({ acPowerOnly: event.target.checked })} />
          <span>{t('schedules.form.acOnly')}</span>
        </label>
        <div className="check-option inline-number">
          <input id={`${id}-limit`} type="checkbox" checked={draft.limitInterval} onChange={(event) => update({ limitInterval: event.target.checked })} />
          <label htmlFor={`${id}-limit`}>{t('schedules.form.limitInterval')}</label>
          <NumberInput
            id={`${id}-min-interval`}
            label={t('schedules.form.minIntervalMinutes')}
            value={draft.minIntervalMinutes}
            disabled={!draft.limitInterval}
            error={errorOf('minIntervalMinutes')}
            onChange={(value) => update({ minIntervalMinutes: value })}
          />
        </div>
        {errorOf('minIntervalMinutes') !== null && <FieldError id={`${id}-min-interval-error`} message={errorOf('minIntervalMinutes') ?? ''} />}
        <p className="field-hint">{t('schedules.form.conditionsHint')}</p>
      </fieldset>
      <label className="check-option">
        <input type="checkbox" checked={draft.enabled} onChange={(event) => update({ enabled: event.target.checked })} />
        <span>{t('schedules.form.enabled')}</span>
      </label>
      {hostError !== null && (
        <div role="alert" tabIndex={-1}>
          <FieldError id={`${id}-host-error`} message={t('schedules.failed', { message: hostError })} />
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button primary" disabled={saving}>
          {t('schedules.form.save')}
        </button>
      </div>
    </form>
  );
}

interface TriggerFieldsProps {
  readonly draft: ScheduleDraft;
  readonly id: string;
  readonly update: (patch: Partial<ScheduleDraft>) => void;
  readonly errorOf: (field: Field) => string | null;
}

/** The fields of the chosen trigger: minutes, a time and days, or a delay. */
function TriggerFields({ draft, id, update, errorOf }: TriggerFieldsProps) {
  const { t } = useTranslation();
  if (draft.kind === 'interval' || draft.kind === 'idle') {
    const error = errorOf('minutes');
    return (
      <div className="field">
        <label htmlFor={`${id}-minutes`}>{t(draft.kind === 'interval' ? 'schedules.form.everyMinutes' : 'schedules.form.idleMinutes')}</label>
        <NumberInput id={`${id}-minutes`} value={draft.minutes} error={error} onChange={(value) => update({ minutes: value })} />
        {error !== null && <FieldError id={`${id}-minutes-error`} message={error} />}
      </div>
    );
  }
  if (draft.kind === 'fileChange') {
    const error = errorOf('delaySeconds');
    return (
      <div className="field">
        <label htmlFor={`${id}-delay`}>{t('schedules.form.delaySeconds')}</label>
        <NumberInput id={`${id}-delay`} value={draft.delaySeconds} step="0.1" error={error} onChange={(value) => update({ delaySeconds: value })} />
        {error !== null && <FieldError id={`${id}-delay-error`} message={error} />}
      </div>
    );
  }
  if (draft.kind !== 'timeOfDay') return null;
  const timeError = errorOf('time');
  const daysError = errorOf('days');
  const toggle = (day: Weekday, on: boolean): void => update({ days: on ? [...draft.days, day] : draft.days.filter((candidate) => candidate !== day) });
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-time`}>{t('schedules.form.time')}</label>
        <input
          id={`${id}-time`}
          type="time"
          className="time-input"
          value={draft.time}
          aria-invalid={timeError !== null}
          aria-describedby={timeError === null ? undefined : `${id}-time-error`}
          onChange={(event) => update({ time: event.target.value })}
        />
        {timeError !== null && <FieldError id={`${id}-time-error`} message={timeError} />}
      </div>
      <fieldset className="field weekdays" aria-invalid={daysError !== null} aria-describedby={daysError === null ? undefined : `${id}-days-error`}>
        <legend>{t('schedules.form.days')}</legend>
        {weekdays.map((day) => (
          <label key={day} className="weekday" title={t(`schedules.weekdays.${day}`)}>
            <input type="checkbox" checked={draft.days.includes(day)} aria-label={t(`schedules.weekdays.${day}`)} onChange={(event) => toggle(day, event.target.checked)} />
            <span aria-hidden="true">{t(`schedules.weekdaysShort.${day}`)}</span>
          </label>
        ))}
        {daysError !== null && <FieldError id={`${id}-days-error`} message={daysError} />}
      </fieldset>
    </>
  );
}

interface NumberInputProps {
  readonly id: string;
  readonly value: string;
  readonly error: string | null;
  readonly onChange: (value: string) => void;
  readonly label?: string;
  readonly disabled?: boolean;
  readonly step?: string;
}

function NumberInput({ id, value, error, onChange, label, disabled = false, step = '1' }: NumberInputProps) {
  return (
    <input
      id={id}
      type="number"
      className="number-input"
      inputMode="decimal"
      min={step === '1' ? 1 : 0.1}
      step={step}
      value={value}
      disabled={disabled}
      aria-label={label}
      aria-invalid={error !== null}
      aria-describedby={error === null ? undefined : `${id}-error`}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}
