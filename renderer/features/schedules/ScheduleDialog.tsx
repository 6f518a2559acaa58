import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schedule } from '../../../app/control/schemas.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { DialogHeader } from '../../components/DialogHeader.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useMinuteClock } from '../../components/useMinuteClock.ts';
import { formatFullDateTime, formatUpcoming } from '../../i18n/format.ts';
import { schedulesFor } from '../../store/schedulesSlice.ts';
import { appStore, useAppStore } from '../../store/store.ts';
import type { ActionTarget } from '../partnerships/partnershipActions.ts';
import { useTargetDialog } from '../partnerships/useTargetDialog.ts';
import { describeTrigger, draftOf, newDraft, requestOf, type ScheduleDraft } from './scheduleDraft.ts';
import { ScheduleForm } from './ScheduleForm.tsx';

type Mode = { readonly kind: 'list' } | { readonly kind: 'edit'; readonly draft: ScheduleDraft; readonly keptItemIds: readonly string[] | null; readonly title: string };

/**
 * The schedule editor of the selected handler or item (the toolbar's Schedule button): its schedules with their
 * next run, each turned on or off, edited or deleted in place, and a form for new ones. A native modal `<dialog>`
 * traps focus and closes on Escape; the list follows the host's `schedulesChanged` events while it is open.
 */
export function ScheduleDialog({ onClose }: { readonly onClose: () => void }) {
  const { dialog, target } = useTargetDialog(onClose);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });

  if (target === null) return null;

  return (
    <dialog ref={dialog} className="dialog schedule-dialog" aria-labelledby={mode.kind === 'list' ? 'schedules-title' : 'schedule-form-title'} onClose={onClose}>
      {mode.kind === 'list' ? (
        <ScheduleList target={target} onEdit={setMode} onClose={() => dialog.current?.close()} />
      ) : (
        <ScheduleEditor target={target} mode={mode} onDone={() => setMode({ kind: 'list' })} />
      )}
    </dialog>
  );
}

function ScheduleList({ target, onEdit, onClose }: { readonly target: ActionTarget; readonly onEdit: (mode: Mode) => void; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const all = useAppStore((state) => state.schedules);
  const entry = target.item ?? target.handler;
  const schedules = schedulesFor(all, target.handler.id, target.item?.id ?? null);
  const fail = (error: unknown): void => appStore.getState().showNotice('schedules.failed', { message: errorMessage(error) });
  const reload = async (): Promise<void> => appStore.getState().setSchedules(await api.listSchedules({}));
  const toggle = (schedule: Schedule, enabled: boolean): Promise<void> => api.enableSchedule({ id: schedule.id, enabled }).then(reload).catch(fail);
  const remove = (schedule: Schedule): void =>
    void api
      .removeSchedule({ id: schedule.id })
      .then(reload)
      .then(() => appStore.getState().announce('announce.scheduleDeleted', { name: schedule.name }))
      .catch(fail);
  const edit = (schedule: Schedule | null): void =>
    onEdit({
      kind: 'edit',
      draft: schedule === null ? newDraft(target.item === null ? 'handler' : 'item') : draftOf(schedule, target.item?.id ?? null),
      keptItemIds: schedule?.itemIds ?? null,
      title: schedule === null ? t('schedules.form.newTitle') : t('schedules.form.editTitle', { name: schedule.name }),
    });

  return (
    <>
      <DialogHeader icon="schedule" titleId="schedules-title" title={t('schedules.title', { name: entry.name })}>
        <p className="muted small">{t('schedules.description')}</p>
      </DialogHeader>
      <div className="dialog-scroll">
        {schedules.length === 0 ? (
          <p className="schedule-empty">{t('schedules.empty', { name: entry.name })}</p>
        ) : (
          <ul className="schedule-list" aria-label={t('schedules.listLabel', { name: entry.name })}>
            {schedules.map((schedule) => (
              <ScheduleRow key={schedule.id} schedule={schedule} target={target} onToggle={toggle} onEdit={edit} onDelete={remove} />
            ))}
          </ul>
        )}
      </div>
      <div className="dialog-actions spread">
        <button type="button" className="button" autoFocus onClick={() => edit(null)}>
          <Icon name="schedule" />
          <span>{t('schedules.new')}</span>
        </button>
        <button type="button" className="button primary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </>
  );
}

interface ScheduleRowProps {
  readonly schedule: Schedule;
  readonly target: ActionTarget;
  readonly onToggle: (schedule: Schedule, enabled: boolean) => Promise<void>;
  readonly onEdit: (schedule: Schedule) => void;
  readonly onDelete: (schedule: Schedule) => void;
}

function ScheduleRow({ schedule, target, onToggle, onEdit, onDelete }: ScheduleRowProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const now = useMinuteClock();
  // The switch flips at once; the host's answer (a fresh list) then confirms it, or puts it back on failure.
  const [switching, setSwitching] = useState<boolean | null>(null);
  const flip = (enabled: boolean): void => {
    setSwitching(enabled);
    void onToggle(schedule, enabled).finally(() => setSwitching(null));
  };
  const scope =
    schedule.itemIds === null
      ? t('schedules.scope.handler', { name: target.handler.name })
      : schedule.itemIds.length === 1
        ? t('schedules.scope.item', { name: target.handler.items.find((item) => item.id === schedule.itemIds?.[0])?.name ?? schedule.itemIds[0] })
        : t('schedules.scope.kept', { count: schedule.itemIds.length });
  const { minIntervalMinutes } = schedule.conditions;
  const conditions = [
    schedule.conditions.acPowerOnly ? t('schedules.conditions.acOnly') : null,
    minIntervalMinutes === null ? null : minIntervalMinutes === 1 ? t('schedules.conditions.minIntervalSingle') : t('schedules.conditions.minInterval', { count: minIntervalMinutes }),
  ].filter((text) => text !== null);
  const next = !schedule.enabled
    ? t('schedules.nextOff')
    : schedule.nextRunTime === null
      ? t('schedules.nextOnEvent')
      : t('schedules.next', { time: formatUpcoming(schedule.nextRunTime, now, language) });
  return (
    <li className="schedule-row">
      <div className="schedule-main">
        <span className="schedule-name">{schedule.name}</span>
        <span className="schedule-detail">{[describeTrigger(schedule.trigger, t), scope, ...conditions].join(' · ')}</span>
        <span className="schedule-next" title={schedule.nextRunTime === null ? undefined : formatFullDateTime(schedule.nextRunTime, language)}>
          {next}
        </span>
      </div>
      <label className="check-option schedule-switch">
        <input type="checkbox" role="switch" checked={switching ?? schedule.enabled} aria-label={t('schedules.enabledLabel', { name: schedule.name })} onChange={(event) => flip(event.target.checked)} />
        <span aria-hidden="true">{t('schedules.enabled')}</span>
      </label>
      <button type="button" className="icon-button" aria-label={t('schedules.editLabel', { name: schedule.name })} title={t('schedules.edit')} onClick={() => onEdit(schedule)}>
        <Icon name="edit" />
      </button>
      <button type="button" className="icon-button" aria-label={t('schedules.deleteLabel', { name: schedule.name })} title={t('schedules.delete')} onClick={() => onDelete(schedule)}>
        <Icon name="delete" />
      </button>
    </li>
  );
}

function ScheduleEditor({ target, mode, onDone }: { readonly target: ActionTarget; readonly mode: Extract<Mode, { kind: 'edit' }>; readonly onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const save = async (draft: ScheduleDraft): Promise<void> => {
    const request = requestOf(draft, { handlerId: target.handler.id, itemId: target.item?.id ?? null, keptItemIds: mode.keptItemIds }, t);
    try {
      const saved = await api.saveSchedule(request);
      const state = appStore.getState();
      state.setSchedules(await api.listSchedules({}));
      state.announce('announce.scheduleSaved', { name: saved.name });
      onDone();
    } catch (error) {
      throw new Error(errorMessage(error), { cause: error });
    }
  };
  return (
    <>
      <DialogHeader icon="schedule" titleId="schedule-form-title" title={mode.title} />
      <div className="dialog-scroll dialog-body">
        <ScheduleForm
          initial={mode.draft}
          handlerName={target.handler.name}
          itemName={target.item?.name ?? null}
          keptCount={mode.draft.scope === 'kept' ? (mode.keptItemIds?.length ?? 0) : 0}
          onSave={save}
          onCancel={onDone}
        />
      </div>
    </>
  );
}
