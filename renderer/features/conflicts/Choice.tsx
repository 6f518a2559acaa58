import { useId } from 'react';

/** Props of `Choice`. */
export interface ChoiceProps {
  readonly label: string;
  /** When the visible label is not enough to tell two buttons apart ("Keep this version (left: Laptop)"). */
  readonly accessibleName?: string;
  readonly effect: string;
  readonly primary?: boolean;
  readonly disabled: boolean;
  readonly onChoose: () => void;
  readonly ref?: React.Ref<HTMLButtonElement>;
}

/** One choice: its button and, under it, one line saying what it will do (also the button's description). */
export function Choice({ label, accessibleName, effect, primary = false, disabled, onChoose, ref }: ChoiceProps) {
  const effectId = useId();
  return (
    <div className="choice">
      <button ref={ref} type="button" className={primary ? 'button choice-button emphasized' : 'button choice-button'} aria-label={accessibleName} aria-describedby={effectId} disabled={disabled} onClick={onChoose}>
        {label}
      </button>
      <p id={effectId} className="choice-effect">
        {effect}
      </p>
    </div>
  );
}
