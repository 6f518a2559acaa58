import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, formatDuration, formatPercent, formatRelative, formatSize, formatUpcoming, progressRatio } from './format.ts';

describe('format', () => {
  it('formats durations in the largest unit that reads well', () => {
    expect(formatDuration(4200, 'en')).toBe('4.2 sec');
    expect(formatDuration(45_000, 'en')).toBe('45 sec');
    expect(formatDuration(180_000, 'en')).toBe('3 min');
    expect(formatDuration(5_400_000, 'en')).toBe('1.5 hr');
    expect(formatDuration(4200, 'fr').replace(/\s/g, ' ')).toBe('4,2 s');
  });

  it('formats numbers in the current language', () => {
    expect(formatCount(12345, 'en')).toBe('12,345');
    expect(formatCount(12345, 'fr').replace(/\s/g, ' ')).toBe('12 345');
    expect(formatPercent(0.452, 'en')).toBe('45%');
    expect(formatPercent(0.452, 'fr').replace(/\s/g, ' ')).toBe('45 %');
  });

  it('formats file sizes in decimal units', () => {
    expect(formatSize(1, 'en')).toBe('1 byte');
    expect(formatSize(999, 'en')).toBe('999 bytes');
    expect(formatSize(2_400_000, 'en')).toBe('2.4 MB');
    expect(formatSize(2_400_000, 'fr').replace(/\s/g, ' ')).toBe('2,4 Mo');
    expect(formatSize(512_000, 'en')).toBe('512 kB');
  });

  it('formats dates in the current language', () => {
    const time = Date.UTC(2026, 10, 22, 14, 32);
    expect(formatDateTime(time, 'en')).toMatch(/Nov 22, 2026/);
    expect(formatDateTime(time, 'fr')).toMatch(/22 nov\. 2026/);
  });

  it('says how long ago in the largest unit that fits', () => {
    const now = Date.UTC(2026, 10, 22, 12, 0);
    expect(formatRelative(now - 5 * 60_000, now, 'en')).toBe('5 minutes ago');
    expect(formatRelative(now - 26 * 3600_000, now, 'en')).toBe('yesterday');
    expect(formatRelative(now - 3 * 3600_000, now, 'fr')).toBe('il y a 3 heures');
    expect(formatRelative(now - 10_000, now, 'en')).toBe('now');
  });

  it('treats max 0 as indeterminate and clamps the ratio', () => {
    expect(progressRatio(null)).toBeNull();
    expect(progressRatio({ current: 3, max: 0 })).toBeNull();
    expect(progressRatio({ current: 25, max: 100 })).toBe(0.25);
    expect(progressRatio({ current: 150, max: 100 })).toBe(1);
  });
});

describe('formatUpcoming', () => {
  const now = new Date(2026, 6, 1, 10, 0).getTime(); // Wednesday 10:00 local time
  it('shows the time alone today, the weekday within a week, else the date', () => {
    expect(formatUpcoming(new Date(2026, 6, 1, 10, 15).getTime(), now, 'en')).toBe(new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(new Date(2026, 6, 1, 10, 15)));
    expect(formatUpcoming(new Date(2026, 6, 3, 7, 30).getTime(), now, 'en')).toMatch(/^Fri 7:30\sAM$/);
    expect(formatUpcoming(new Date(2026, 6, 3, 7, 30).getTime(), now, 'fr')).toMatch(/^ven\. 07:30$/);
    expect(formatUpcoming(new Date(2026, 7, 20, 7, 30).getTime(), now, 'en')).toBe(formatDateTime(new Date(2026, 7, 20, 7, 30).getTime(), 'en'));
  });
});
