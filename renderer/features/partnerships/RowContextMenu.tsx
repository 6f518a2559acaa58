import * as ContextMenu from '@radix-ui/react-context-menu';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../components/Icon.tsx';
import type { ToolbarAction } from './partnershipActions.ts';
import { actionGroups, actionIcons } from './PartnershipToolbar.tsx';

/** The selection's commands: the toolbar's, without Sync All and Stop All, which do not depend on a row. */
const menuGroups = actionGroups.slice(1);

/**
 * The context menu of the partnership grid (right click, the menu key or Shift+F10 on a row): the same commands,
 * names and enabled states as the toolbar, for the row it opens on. Radix's context menu gives the ARIA menu
 * pattern (arrow keys, typeahead, Escape) and keeps the menu inside the window.
 */
export function RowContextMenu({ enabled, onAction, children }: { readonly enabled: Readonly<Record<ToolbarAction, boolean>>; readonly onAction: (action: ToolbarAction) => void; readonly children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ContextMenu.Root>
      <ContextMenu.Trigger asChild>
        <div className="context-area">{children}</div>
      </ContextMenu.Trigger>
      <ContextMenu.Portal>
        <ContextMenu.Content
          className="context-menu"
          aria-label={t('toolbar.menuLabel')}
          // Focus goes back to the selected row (or on into the dialog the command opens), not to the whole grid.
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            document.querySelector<HTMLElement>('[role="row"][aria-selected="true"]')?.focus({ preventScroll: true });
          }}
        >
          {menuGroups.map((group, index) => (
            <Fragment key={group.join()}>
              {index > 0 && <ContextMenu.Separator className="context-menu-separator" />}
              {group.map((action) => (
                <ContextMenu.Item key={action} className="context-menu-item" disabled={!enabled[action]} onSelect={() => onAction(action)}>
                  <Icon name={actionIcons[action]} />
                  <span>{t(`actions.${action}.label`)}</span>
                </ContextMenu.Item>
              ))}
            </Fragment>
          ))}
        </ContextMenu.Content>
      </ContextMenu.Portal>
    </ContextMenu.Root>
  );
}
