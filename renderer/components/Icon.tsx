/**
 * The window's icon set: simple stroked glyphs on a 24-unit grid, drawn for this app. Icons are decorative
 * (`aria-hidden`); the control around them carries the accessible name.
 */
const paths = {
  sync: 'M20 11a8 8 0 0 0-14.3-4.9M4 4v4h4M4 13a8 8 0 0 0 14.3 4.9M20 20v-4h-4',
  stop: 'M7 7h10v10H7z',
  conflicts: 'M12 4 2.8 19.5h18.4L12 4zM12 10v4.5M12 17.2v.3',
  results: 'M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01',
  setup: 'M12 5v14M5 12h14',
  enable: 'M5 12.5 10 17.5 19 7',
  disable: 'M6 6l12 12M18 6 6 18',
  browse: 'M3 7.5V18a1 1 0 0 0 1 1h16a1 1 0 0 0 1-1V9.5a1 1 0 0 0-1-1h-8L10 6H4a1 1 0 0 0-1 1.5zM13 12l3 2.5-3 2.5',
  schedule: 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  properties: 'M12 11v6M12 7.5v.3M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  edit: 'M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4',
  delete: 'M4 7h16M9 7V4.5h6V7M6.5 7l1 13h9l1-13M10 11v5M14 11v5',
  folder: 'M3 7.5V18a1 1 0 0 0 1 1h16a1 1 0 0 0 1-1V9.5a1 1 0 0 0-1-1h-8L10 6H4a1 1 0 0 0-1 1.5z',
  device: 'M8 3h8a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H8a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM11 18h2',
  application: 'M4 5h16v14H4zM4 9h16M7 7h.01M9.5 7h.01',
  service: 'M7 18a4 4 0 0 1-.6-8 6 6 0 0 1 11.5 1.5A3.3 3.3 0 0 1 17.5 18z',
  computer: 'M4 5h16v10H4zM9 19h6M12 15v4',
  chevronRight: 'M9 6l6 6-6 6',
  back: 'M15 6l-6 6 6 6',
  success: 'M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM8 12.5l2.7 2.7L16 9.8',
  danger: 'M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM12 7.5v5.5M12 16.2v.3',
  info: 'M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM12 11v5.5M12 7.8v.3',
  pause: 'M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM9 12h6',
  unplugged: 'M9 3v4M15 3v4M7 7h10v4a5 5 0 0 1-10 0zM12 16v5M4 4l16 16',
  clock: 'M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z',
  globe: 'M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM3 12h18M12 3c2.5 2.7 3.5 5.7 3.5 9s-1 6.3-3.5 9c-2.5-2.7-3.5-5.7-3.5-9s1-6.3 3.5-9z',
  theme: 'M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0zM12 3v18a9 9 0 0 0 0-18z',
  close: 'M6 6l12 12M18 6 6 18',
  search: 'M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5 20 20',
  xml: 'M8 8l-4 4 4 4M16 8l4 4-4 4M13.5 6l-3 12',
  plug: 'M9 3v4M15 3v4M7 7h10v4a5 5 0 0 1-10 0zM12 16v5',
} as const;

/** The names of every icon. */
export type IconName = keyof typeof paths;

/** Props of `Icon`. */
export interface IconProps {
  readonly name: IconName;
  /** Pixel size of the square; defaults to 16. */
  readonly size?: number;
  readonly className?: string;
}

/** Draws one icon in the current text colour. */
export function Icon({ name, size = 16, className }: IconProps) {
  return (
    <svg
      className={className === undefined ? 'icon' : `icon ${className}`}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
