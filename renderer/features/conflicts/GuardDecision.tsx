import { useTranslation } from 'react-i18next';
import type { Conflict, ResolutionChoice } from '../../../app/control/schemas.ts';
import { Choice } from './Choice.tsx';
import { keepChoice, otherSide, versionOn, type GuardDecision, type Side } from './conflictChoices.ts';
import { VersionTitle } from './VersionPanel.tsx';

/** Props of `GuardChoices`. */
export interface GuardChoicesProps {
  readonly conflict: Conflict;
  readonly decision: GuardDecision;
  readonly disabled: boolean;
  readonly firstChoice: React.Ref<HTMLButtonElement>;
  readonly onChoose: (choice: ResolutionChoice) => void;
}

const sides: readonly Side[] = ['left', 'right'];

/**
 * The body of the resolve dialog for a safety guard's conflict: what each side holds now, and the choices it asks
 * for in words of what they do to the files — bring them back or delete them on the other side too (a mass delete),
 * start the folder afresh (a folder whose sync data is not this pair's) — and deciding later. The choice that loses
 * nothing comes first, with the focus. "Keep both", "keep the newer" and "for all of this kind" are not offered:
 * they mean nothing for a whole side, and a mass delete is confirmed for one pair at a time.
 */
export function GuardChoices({ conflict, decision, disabled, firstChoice, onChoose }: GuardChoicesProps) {
  const { t } = useTranslation();
  const roots = { guarded: decision.guardedRoot, other: decision.otherRoot };
  const keepGuarded = keepChoice(decision.guarded);
  const keepOther = keepChoice(otherSide(decision.guarded));
  const choices: readonly { readonly key: string; readonly choice: ResolutionChoice }[] =
    decision.kind === 'massDelete'
      ? [
          { key: 'restore', choice: keepOther },
          { key: 'confirm', choice: keepGuarded },
        ]
      : [{ key: 'afresh', choice: keepOther }];
  return (
    <>
      <p className="resolve-question">{t(`decide.${decision.kind}.question`, roots)}</p>
      <div className="resolve-versions">
        {sides.map((side) => {
          const version = versionOn(conflict, side);
          return (
            <div key={side} className="version-details">
              <VersionTitle side={side} version={version} />
              {version?.preview?.kind === 'text' && <p className="guard-state">{version.preview.text}</p>}
            </div>
          );
        })}
      </div>
      {decision.kind === 'rootMissing' && <p className="muted">{t('decide.rootMissing.reconnect', roots)}</p>}
      <div className="resolve-others" role="group" aria-label={t('decide.choices')}>
        {choices.map(({ key, choice }, index) => (
          <Choice
            key={key}
            ref={index === 0 ? firstChoice : undefined}
            primary
            label={t(`decide.${decision.kind}.${key}`)}
            effect={t(`decide.${decision.kind}.${key}Effect`, roots)}
            disabled={disabled}
            onChoose={() => onChoose(choice)}
          />
        ))}
        <Choice label={t('decide.later')} effect={t('decide.laterEffect')} disabled={disabled} onChoose={() => onChoose('skip')} />
      </div>
    </>
  );
}
