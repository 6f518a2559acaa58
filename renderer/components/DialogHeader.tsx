import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon.tsx';

/**
 * The header of the app's dialogs: an icon tile, the title (whose id the dialog's aria-labelledby names), and an
 * optional line under it (a description, a status badge).
 */
export function DialogHeader({ icon, titleId, title, children }: { readonly icon: IconName; readonly titleId: string; readonly title: string; readonly children?: ReactNode }) {
  return (
    <header className="dialog-header">
      <span className="row-icon large" aria-hidden="true">
        <Icon name={icon} size={24} />
      </span>
      <div>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </header>
  );
}
