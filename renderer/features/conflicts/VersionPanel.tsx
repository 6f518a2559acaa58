import { useTranslation } from 'react-i18next';
import type { ConflictVersion } from '../../../app/control/schemas.ts';
import { Icon } from '../../components/Icon.tsx';
import { formatDateTime, formatFullDateTime, formatSize } from '../../i18n/format.ts';
import { isDeleted, type Side } from './conflictChoices.ts';

/** Props of `VersionDetails`. */
export interface VersionDetailsProps {
  readonly side: Side;
  readonly version: ConflictVersion | undefined;
  /** This side was changed last; shown as a badge so "Keep the newer version" is concrete. */
  readonly newer: boolean;
}

/** The facts of one version: which side, where it lives, its size and when it changed. */
export function VersionDetails({ side, version, newer }: VersionDetailsProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const unknown = t('resolve.unknown');
  // A deletion has no size, and often no time; "Unknown" would suggest something is missing.
  const missing = isDeleted(version) ? '—' : unknown;
  const rows: [string, string][] = [
    [t('resolve.location'), version?.location ?? version?.label ?? unknown],
    [t('resolve.size'), version?.size === null || version?.size === undefined ? missing : formatSize(version.size, language)],
    [t('resolve.modified'), version?.modifiedTime === null || version?.modifiedTime === undefined ? missing : formatDateTime(version.modifiedTime, language)],
  ];
  const modifiedTitle = version?.modifiedTime === null || version?.modifiedTime === undefined ? undefined : formatFullDateTime(version.modifiedTime, language);
  return (
    <div className="version-details">
      <VersionTitle side={side} version={version}>
        {newer && <span className="status status-active">{t('resolve.newer')}</span>}
        {isDeleted(version) && <span className="status status-danger">{t('resolve.deletedBadge')}</span>}
      </VersionTitle>
      <dl className="version-facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd title={term === t('resolve.modified') ? modifiedTitle : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** A version card's heading: which side, the version's label, and any badges after them. */
export function VersionTitle({ side, version, children }: { readonly side: Side; readonly version: ConflictVersion | undefined; readonly children?: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="version-title">
      <span className="side-chip">{t(`resolve.sides.${side}`)}</span>
      <h3>{version?.label ?? t('resolve.unknown')}</h3>
      {children}
    </div>
  );
}

/**
 * The preview of one version when the two cannot be diffed together: its text or XML element, or a sentence
 * saying why there is nothing to show (binary content, deleted on this side, no preview from the handler).
 */
export function VersionPreview({ version }: { readonly version: ConflictVersion | undefined }) {
  const { t } = useTranslation();
  const preview = version?.preview;
  if (preview === undefined) return <PreviewNote icon="info" text={t('resolve.noPreview')} />;
  if (preview.kind === 'binary') return <PreviewNote icon="info" text={t('resolve.binary')} />;
  if (preview.kind === 'deleted') return <PreviewNote icon="delete" text={t('resolve.deleted')} />;
  return (
    <div className="preview-box">
      <pre className="preview-text" tabIndex={0} aria-label={t('resolve.previewOf', { name: version?.label ?? '' })}>
        {preview.text}
      </pre>
      {preview.truncated && <p className="preview-note">{t('resolve.truncated')}</p>}
    </div>
  );
}

function PreviewNote({ icon, text }: { readonly icon: 'info' | 'delete'; readonly text: string }) {
  return (
    <p className="preview-empty">
      <Icon name={icon} size={18} />
      <span>{text}</span>
    </p>
  );
}
