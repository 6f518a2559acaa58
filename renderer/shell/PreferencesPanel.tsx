import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../components/Icon.tsx';
import { useAppStore } from '../store/store.ts';
import type { LanguageChoice, ThemeChoice } from '../store/uiSlice.ts';

const languages: readonly LanguageChoice[] = ['system', 'en', 'fr'];
const themes: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/**
 * Language and theme switches at the foot of the navigation. Native selects keep them keyboard- and
 * screen-reader-friendly for free. Language names are written in their own language, so a user who switched to
 * the wrong one can still find theirs.
 */
export function PreferencesPanel() {
  const { t } = useTranslation();
  const language = useAppStore((state) => state.language);
  const theme = useAppStore((state) => state.theme);
  const setLanguage = useAppStore((state) => state.setLanguage);
  const setTheme = useAppStore((state) => state.setTheme);
  const hostInfo = useAppStore((state) => state.hostInfo);
  const languageId = useId();
  const themeId = useId();
  return (
    <div className="preferences">
      <label className="preference" htmlFor={languageId}>
        <Icon name="globe" />
        <span className="visually-hidden">{t('preferences.language')}</span>
        <select id={languageId} value={language} title={t('preferences.language')} onChange={(event) => setLanguage(event.target.value as LanguageChoice)}>
          {languages.map((choice) => (
            <option key={choice} value={choice}>
              {t(`preferences.languages.${choice}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="preference" htmlFor={themeId}>
        <Icon name="theme" />
        <span className="visually-hidden">{t('preferences.theme')}</span>
        <select id={themeId} value={theme} title={t('preferences.theme')} onChange={(event) => setTheme(event.target.value as ThemeChoice)}>
          {themes.map((choice) => (
            <option key={choice} value={choice}>
              {t(`preferences.themes.${choice}`)}
            </option>
          ))}
        </select>
      </label>
      {hostInfo !== null && <p className="host-info">{t('preferences.version', { version: hostInfo.version })}</p>}
    </div>
  );
}
