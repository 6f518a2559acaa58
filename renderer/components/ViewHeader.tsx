import type { ReactNode } from 'react';

/** Props of `ViewHeader`. */
export interface ViewHeaderProps {
  readonly title: string;
  readonly description: string;
  /** Shown above the title (a breadcrumb back to the list). */
  readonly before?: ReactNode;
  /** Shown at the title's right (a summary). */
  readonly aside?: ReactNode;
}

/** The title block of a view. The `h1` is the view's name, so each view is a labelled region. */
export function ViewHeader({ title, description, before, aside }: ViewHeaderProps) {
  return (
    <header className="view-header">
      {before}
      <div className="view-title-row">
        <div>
          <h1 className="view-title" id="view-title">
            {title}
          </h1>
          <p className="view-description">{description}</p>
        </div>
        {aside}
      </div>
    </header>
  );
}
