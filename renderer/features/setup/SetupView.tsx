import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon, type IconName } from '../../components/Icon.tsx';
import { ViewHeader } from '../../components/ViewHeader.tsx';
import { emptyDraft, partnershipKinds, type PartnershipKind } from './partnershipDraft.ts';
import { SetupForm } from './SetupForm.tsx';

const kindIcons: Record<PartnershipKind, IconName> = { folders: 'folder', xml: 'xml' };

/**
 * Set up new sync partnerships: pick what to keep in sync (a folder pair or an XML replica pair), then give its
 * two sides and options. Choosing a kind reveals its form in place, so the user never loses the overview.
 */
export function SetupView() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<PartnershipKind | null>(null);
  return (
    <section className="view" aria-labelledby="view-title">
      <ViewHeader title={t('setup.title')} description={t('setup.description')} />
      <div className="view-body scroll padded">
        <h2 className="section-title" id="setup-kinds">
          {t('setup.chooseKind')}
        </h2>
        <ul className="kind-cards" aria-labelledby="setup-kinds">
          {partnershipKinds.map((candidate) => (
            <li key={candidate}>
              <button type="button" className="kind-card" aria-pressed={kind === candidate} onClick={() => setKind(candidate)}>
                <span className="row-icon large" aria-hidden="true">
                  <Icon name={kindIcons[candidate]} size={24} />
                </span>
                <span className="kind-text">
                  <span className="kind-title">{t(`setup.kinds.${candidate}.title`)}</span>
                  <span className="kind-body">{t(`setup.kinds.${candidate}.body`)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
        {kind !== null && <SetupForm key={kind} initial={emptyDraft(kind)} onCancel={() => setKind(null)} />}
      </div>
    </section>
  );
}
