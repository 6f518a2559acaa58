import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conflict, ResolutionChoice } from '../../../app/control/schemas.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { errorMessage } from '../../api/ApiError.ts';
import { Icon } from '../../components/Icon.tsx';
import { formatCount, formatDateTime } from '../../i18n/format.ts';
import { findHandler } from '../../store/handlersSlice.ts';
import { appStore, useAppStore } from '../../store/store.ts';
import { Choice } from './Choice.tsx';
import { conflictKindKey, guardDecision, isDeleted, keepChoice, keepEffectKey, newerSide, otherConflictsOfKind, otherSide, versionOn, type Side } from './conflictChoices.ts';
import { DiffView } from './DiffView.tsx';
import { GuardChoices } from './GuardDecision.tsx';
import { VersionDetails, VersionPreview } from './VersionPanel.tsx';

/** Props of `ResolveDialog`. */
export interface ResolveDialogProps {
  readonly conflict: Conflict;
  /** Called once the dialog has closed, with the ids the host resolved (empty when canceled). */
  readonly onClosed: (resolved: readonly string[]) => void;
}

const sides: readonly Side[] = ['left', 'right'];

/**
 * Resolves one conflict: both versions side by side (where they live, size, when they changed, and a diff of
 * their text or XML), one button per choice with a line saying what it will do, and "do this for all conflicts
 * of this kind"; a safety guard's conflict shows the decision it asks for instead (`GuardChoices`). A native modal `<dialog>` keeps focus inside and closes on Escape; focus starts on the first
 * choice. A failed call leaves the dialog open with the host's message.
 */
export function ResolveDialog({ conflict, onClosed }: ResolveDialogProps) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const dialog = useRef<HTMLDialogElement>(null);
  const firstChoice = useRef<HTMLButtonElement>(null);
  const resolvedIds = useRef<readonly string[]>([]);
  const [applyToAll, setApplyToAll] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { title: useId(), description: useId(), all: useId(), allHint: useId(), error: useId() };
  const handlerName = useAppStore((state) => findHandler(state, conflict.handlerId)?.name ?? conflict.handlerId);
  const others = useAppStore((state) => otherConflictsOfKind(state.conflicts, conflict));
  const language = i18n.language;
  const kindKey = conflictKindKey(conflict.kind);
  const kindText = kindKey === null ? conflict.kind : t(kindKey);
  const newer = newerSide(conflict);
  const left = versionOn(conflict, 'left');
  const right = versionOn(conflict, 'right');
  const decision = guardDecision(conflict);
  const sideTitle = (side: Side): string => t('resolve.sideTitle', { side: t(`resolve.sides.${side}`), label: versionOn(conflict, side)?.label ?? '' });

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    // The body starts at its top (the versions), which in short windows still shows the first choice.
    firstChoice.current?.focus({ preventScroll: true });
  }, []);

  const choose = (choice: ResolutionChoice): void => {
    setBusy(true);
    setError(null);
    api
      .resolveConflict({ conflictId: conflict.id, choice, ...(applyToAll ? { applyToAllOfKind: true } : {}) })
      .then(({ resolved }) => {
        const gone = resolved.length > 0 ? resolved : [conflict.id];
        const state = appStore.getState();
        state.removeConflicts(gone);
        if (gone.length > 1) state.announce('announce.conflictsResolved', { count: gone.length, formatted: formatCount(gone.length, language) });
        else state.announce(choice === 'skip' ? 'announce.conflictSkipped' : 'announce.conflictResolved', { name: conflict.name });
        resolvedIds.current = gone;
        dialog.current?.close();
      })
      .catch((reason: unknown) => {
        setError(errorMessage(reason));
        setBusy(false);
      });
  };

  const bothText = left?.preview !== undefined && right?.preview !== undefined && left.preview.kind !== 'binary' && left.preview.kind !== 'deleted' && right.preview.kind !== 'binary' && right.preview.kind !== 'deleted';

  return (
    <dialog
      ref={dialog}
      className="dialog resolve-dialog"
      aria-labelledby={ids.title}
      aria-describedby={ids.description}
      aria-busy={busy}
      onClose={() => onClosed(resolvedIds.current)}
    >
      <header className="dialog-header resolve-header">
        <span className="row-icon large tone-warning" aria-hidden="true">
          <Icon name="conflicts" size={24} />
        </span>
        <div className="resolve-heading">
          <h2 id={ids.title}>{t('resolve.title', { name: conflict.name })}</h2>
          <p id={ids.description} className="muted">
            {t('resolve.summary', { kind: kindText, partnership: handlerName, time: formatDateTime(conflict.detectedTime, language) })}
            {conflict.description.length > 0 && <span className="resolve-host-note">{conflict.description}</span>}
          </p>
        </div>
      </header>
      <div className="resolve-body">
        {decision !== null ? (
          <GuardChoices conflict={conflict} decision={decision} disabled={busy} firstChoice={firstChoice} onChoose={choose} />
        ) : (
          <>
            <p className="resolve-question">{t('resolve.question')}</p>
            <div className="resolve-versions">
              {sides.map((side) => (
                <VersionDetails key={side} side={side} version={versionOn(conflict, side)} newer={newer === side} />
              ))}
              {bothText ? (
                <div className="resolve-diff">
                  <DiffView left={left.preview?.text ?? ''} right={right.preview?.text ?? ''} leftTitle={sideTitle('left')} rightTitle={sideTitle('right')} />
                </div>
              ) : (
                sides.map((side) => <VersionPreview key={`preview-${side}`} version={versionOn(conflict, side)} />)
              )}
              {sides.map((side) => (
                <Choice
                  key={`keep-${side}`}
                  ref={side === 'left' ? firstChoice : undefined}
                  primary
                  label={t('resolve.keepThis')}
                  accessibleName={t('resolve.keepThisNamed', { side: t(`resolve.sidesLower.${side}`), label: versionOn(conflict, side)?.label ?? '' })}
                  effect={t(keepEffectKey(conflict, side), { other: t(`resolve.sidesLower.${otherSide(side)}`) })}
                  disabled={busy}
                  onChoose={() => choose(keepChoice(side))}
                />
              ))}
            </div>
            <div className="resolve-others" role="group" aria-label={t('resolve.otherChoices')}>
              {/* With one side deleted there is only one version: "both" would mean the same as keeping it. */}
              {!isDeleted(left) && !isDeleted(right) && <Choice label={t('resolve.keepBoth')} effect={t('resolve.effects.keepBoth')} disabled={busy} onChoose={() => choose('keepAll')} />}
              <Choice
                label={t('resolve.keepNewer')}
                effect={newer === null ? t('resolve.effects.keepNewerUnknown') : t('resolve.effects.keepNewer', { side: t(`resolve.sidesLower.${newer}`), label: versionOn(conflict, newer)?.label ?? '' })}
                disabled={busy}
                onChoose={() => choose('keepNewer')}
              />
              <Choice label={t('resolve.skip')} effect={t('resolve.effects.skip')} disabled={busy} onChoose={() => choose('skip')} />
            </div>
            <div className="resolve-all">
              <input id={ids.all} type="checkbox" checked={applyToAll} disabled={busy} aria-describedby={ids.allHint} onChange={(event) => setApplyToAll(event.target.checked)} />
              <div>
                <label htmlFor={ids.all}>{t('resolve.applyToAll')}</label>
                <p id={ids.allHint} className="muted small">
                  {others === 0 ? t('resolve.applyToAllNone') : t('resolve.applyToAllHint', { count: others, formatted: formatCount(others, language), kind: kindText, partnership: handlerName })}
                </p>
              </div>
            </div>
          </>
        )}
      </div>
      {/* The footer never scrolls away, so an error is seen next to the choice that caused it. */}
      <form method="dialog" className="dialog-actions resolve-footer">
        <div className="resolve-error-slot" role="alert">
          {error !== null && (
            <p className="resolve-error" id={ids.error}>
              <Icon name="danger" />
              <span>{t('resolve.failed', { message: error })}</span>
            </p>
          )}
        </div>
        <button type="submit" className="button">
          {t('common.cancel')}
        </button>
      </form>
    </dialog>
  );
}
