import { useTranslation } from 'react-i18next';
import type { Progress } from '../../app/control/schemas.ts';
import { formatPercent, progressRatio } from '../i18n/format.ts';

/** Props of `ProgressBar`. */
export interface ProgressBarProps {
  readonly progress: Progress | null;
  /** What the bar measures, e.g. the handler or item name; becomes its accessible name. */
  readonly label: string;
  /** Whether a sync is running (an idle row shows no bar, only its text). */
  readonly active: boolean;
}

/**
 * A progress bar with its percentage and the handler's progress text. It is a real `progressbar`: determinate
 * with aria-valuenow/min/max, or indeterminate (no value) when the host reports `max` 0.
 */
export function ProgressBar({ progress, label, active }: ProgressBarProps) {
  const { t, i18n } = useTranslation();
  const ratio = progressRatio(progress);
  const percent = ratio === null ? null : formatPercent(ratio, i18n.language);
  const text = progress?.text ?? '';
  if (!active && ratio === null) {
    return <span className="progress-text muted">{text}</span>;
  }
  const valueProps =
    ratio === null || progress === null
      ? {}
      : { 'aria-valuenow': progress.current, 'aria-valuemin': 0, 'aria-valuemax': progress.max, 'aria-valuetext': t('progress.valueText', { percent, text }) };
  return (
    <div className="progress">
      <div className="progress-line">
        <div role="progressbar" aria-label={t('progress.label', { name: label })} className={ratio === null ? 'progress-track indeterminate' : 'progress-track'} {...valueProps}>
          <div className="progress-fill" style={ratio === null ? undefined : { inlineSize: `${ratio * 100}%` }} />
        </div>
        <span className="progress-percent" aria-hidden="true">
          {percent ?? ''}
        </span>
      </div>
      {text.length > 0 && <span className="progress-text">{text}</span>}
    </div>
  );
}
