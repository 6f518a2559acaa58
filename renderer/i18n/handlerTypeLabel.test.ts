import { describe, expect, it } from 'vitest';
import { createI18n } from './i18n.ts';
import { handlerTypeLabel, typeLabelKey } from './handlerTypeLabel.ts';

describe('handler type labels', () => {
  it('translates built-in handlers, known labels and missing labels', () => {
    expect(typeLabelKey({ id: 'folders', type: 'folder', typeLabel: 'Two folders' })).toBe('handlerTypes.handlers.folders');
    expect(typeLabelKey({ id: 'other', type: 'folder', typeLabel: ' folder PAIR ' })).toBe('handlerTypes.handlers.folders');
    expect(typeLabelKey({ id: 'other', type: 'device', typeLabel: '' })).toBe('handlerTypes.types.device');
  });

  it("keeps a third-party handler's own wording", () => {
    expect(typeLabelKey({ id: 'legacy-mail', type: 'application', typeLabel: 'Mail folders' })).toBeNull();
    const french = createI18n('fr');
    expect(handlerTypeLabel({ id: 'legacy-mail', type: 'application', typeLabel: 'Mail folders' }, french.t)).toBe('Mail folders');
    expect(handlerTypeLabel({ id: 'folders', type: 'folder', typeLabel: 'Folder pair' }, french.t)).toBe('Paire de dossiers');
  });
});
