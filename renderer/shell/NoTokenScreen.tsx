import { useTranslation } from 'react-i18next';

/**
 * Shown in a browser that has no valid token: the window only works when opened from the URL that
 * `synccenter serve` prints, which carries the token in its fragment.
 */
export function NoTokenScreen() {
  const { t } = useTranslation();
  return (
    <main className="gate" aria-labelledby="gate-title">
      <div className="gate-card">
        <img src="./icon.svg" alt="" width={72} height={72} />
        <h1 id="gate-title">{t('gate.title')}</h1>
        <p>{t('gate.body')}</p>
        <pre className="gate-command">
          <code>synccenter serve</code>
        </pre>
        <p className="muted">{t('gate.hint')}</p>
      </div>
    </main>
  );
}
