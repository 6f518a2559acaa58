import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from '../../components/Icon.tsx';
import type { ToolbarAction } from './partnershipActions.ts';

/** The commands in their groups, as the toolbar shows them (the context menu shows all but the first). */
export const actionGroups: readonly (readonly ToolbarAction[])[] = [['syncAll', 'stopAll'], ['sync', 'stop'], ['enable', 'disable'], ['browse', 'schedule', 'properties', 'delete']];
export const actionIcons: Record<ToolbarAction, IconName> = {
  syncAll: 'sync',
  stopAll: 'stop',
  sync: 'sync',
  stop: 'stop',
  enable: 'enable',
  disable: 'disable',
  browse: 'browse',
  schedule: 'schedule',
  properties: 'properties',
  delete: 'delete',
};

/** Props of `PartnershipToolbar`. */
export interface PartnershipToolbarProps {
  readonly enabled: Readonly<Record<ToolbarAction, boolean>>;
  readonly onAction: (action: ToolbarAction) => void;
}

/**
 * The command bar of Sync partnerships. It follows the ARIA toolbar pattern: one tab stop, arrow keys move
 * between the enabled commands. Greyed-out commands stay visible so the user learns what exists. On narrow
 * windows the secondary labels collapse to icons; the text stays in the accessibility tree and the tooltip.
 */
export function PartnershipToolbar({ enabled, onAction }: PartnershipToolbarProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const firstEnabled = actionGroups.flat().find((action) => enabled[action]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    const buttons = [...(container.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const current = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (buttons.length === 0) return;
    event.preventDefault();
    const last = buttons.length - 1;
    const next = { ArrowLeft: current <= 0 ? last : current - 1, ArrowRight: current >= last ? 0 : current + 1, Home: 0, End: last }[event.key] ?? 0;
    buttons[next]?.focus();
  };

  return (
    <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')} ref={container} onKeyDown={onKeyDown}>
      {actionGroups.map((group, index) => (
        <div className="toolbar-group" key={index}>
          {group.map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'syncAll' ? 'tool primary' : index === 0 ? 'tool' : 'tool secondary'}
              disabled={!enabled[action]}
              tabIndex={action === firstEnabled ? 0 : -1}
              title={t(`actions.${action}.hint`)}
              onClick={() => onAction(action)}
            >
              <Icon name={actionIcons[action]} />
              <span className="tool-label">{t(`actions.${action}.label`)}</span>
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
