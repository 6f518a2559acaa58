import { describe as group, expect, test } from 'vitest';
import { handlerText, translateText } from '../handlerText.ts';
import { describe } from '../pairSession.ts';
import { MassDeleteError } from './syncGuards.ts';
import { englishText, NoSpaceError, PermissionDeniedError, RootMissingError, toFolderError } from './errors.ts';

const french = handlerText('fr');
const english = handlerText('en');

group('folder errors carry their text as data, translated where they are shown', () => {
  test('the message is the English text, word for word', () => {
    const error = new PermissionDeniedError('docs/a.txt', 'reading');
    expect(error.message).toBe('Permission denied while reading "docs/a.txt". Give your user read and write access to it, or exclude it from this sync.');
    expect(englishText(error.text)).toBe(error.message);
    expect(describe(error, english)).toBe(`${error.message} (PERMISSION_DENIED)`);
  });

  test('in French every folder error reads in French, with its path and code', () => {
    const errors = [
      new RootMissingError('/media/usb', 'the folder does not exist'),
      new RootMissingError('/media/usb', 'its .synccenter folder is gone', true),
      new NoSpaceError('big.iso'),
      toFolderError(Object.assign(new Error('EIO'), { code: 'EIO' }), 'x.bin', 'writing'),
      new MassDeleteError('left', 40, 50, { left: '/home/me/Docs', right: '/media/usb/Docs' }),
    ];
    const texts = errors.map((error) => describe(error, french));
    expect(texts[0]).toBe('Racine du réplica introuvable : /media/usb. Rien n’a été supprimé. Reconnectez le disque ou le partage (ou recréez le dossier), puis synchronisez. (ROOT_MISSING)');
    expect(texts[1]).toMatch(/^Racine du réplica introuvable : \/media\/usb ne contient plus .* repartir de zéro de ce côté\. \(ROOT_MISSING\)$/);
    expect(texts[2]).toBe('Plus d’espace libre pour écrire « big.iso ». Libérez de l’espace sur ce disque (ou videz la corbeille de Sync Center) et synchronisez de nouveau. (NO_SPACE)');
    expect(texts[3]).toBe('Impossible de traiter « x.bin » (écriture, EIO). Vérifiez le disque et synchronisez de nouveau. (IO_ERROR)');
    expect(texts[4]).toBe('Cette synchronisation supprimerait 40 fichiers sur 50 dans /media/usb/Docs, parce qu’ils ont été supprimés dans /home/me/Docs. Rien n’a été supprimé. Confirmez pour continuer, ou restaurez les fichiers dans /home/me/Docs. (MASS_DELETE)');
    for (const text of texts) expect(text).not.toMatch(/\b(the|was|while|sync again)\b/);
  });

  test('one deletion reads in the singular in French', () => {
    expect(describe(new MassDeleteError('right', 1, 1, { left: '/a', right: '/b' }), french)).toMatch(/^Cette synchronisation supprimerait 1 fichier sur 1 dans \/a, parce qu’il a été supprimé dans \/b\./);
  });

  test('a text inside a text is translated too (a file not written, and why)', () => {
    const text = { key: 'event.notWritten', values: { root: '/media/usb', reason: new NoSpaceError('big.iso').text } };
    expect(translateText(text, '', french)).toBe('Non écrit dans /media/usb : Plus d’espace libre pour écrire « big.iso ». Libérez de l’espace sur ce disque (ou videz la corbeille de Sync Center) et synchronisez de nouveau. Le reste a été synchronisé ; ce fichier sera réessayé à la prochaine synchronisation.');
    expect(englishText(text)).toBe('Not written into /media/usb: No space left to write "big.iso". Free some space on that drive (or empty the Sync Center trash) and sync again. The rest was synced; this file is tried again on the next sync.');
  });

  test('errors without text data keep their message', () => {
    expect(describe(Object.assign(new Error('database is locked'), { code: 'METADATA_BUSY' }), french)).toBe('database is locked (METADATA_BUSY)');
  });
});
