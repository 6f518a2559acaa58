import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon.tsx';

/** Props of `EmptyState`. */
export interface EmptyStateProps {
  readonly icon: IconName;
  readonly title: string;
  readonly children: ReactNode;
  /** The next step, usually one primary button. */
  readonly action?: ReactNode;
  readonly tone?: 'neutral' | 'success';
}

/** A centred empty state: what this place is for, why it is empty, and what to do next. */
export function EmptyState({ icon, title, children, action, tone = 'neutral' }: EmptyStateProps) {
  return (
    <section className={`empty empty-${tone}`} aria-label={title}>
      <div className="empty-art" aria-hidden="true">
        <span className="empty-ring" />
        <Icon name={icon} size={40} />
      </div>
      <h2 className="empty-title">{title}</h2>
      <div className="empty-body">{children}</div>
      {action !== undefined && <div className="empty-action">{action}</div>}
    </section>
  );
}
