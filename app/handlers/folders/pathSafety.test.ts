import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handlerText, translateText } from '../handlerText.ts';
import type { FolderError } from './errors.ts';
import { caseFoldKey, normalizationKey, probeCaseInsensitive, resolveForWrite, resolveInsideRoot, validateRelativePath } from './pathSafety.ts';
import { makeTempDir, removeTempDirs } from './testFolders.ts';

afterAll(removeTempDirs);

describe('validateRelativePath', () => {
  it.each([
    ['', 'UNSAFE_NAME'],
    ['a\0b', 'UNSAFE_NAME'],
    ['/etc/passwd', 'UNSAFE_NAME'],
    ['C:/Windows', 'UNSAFE_NAME'],
    ['a\\..\\b', 'UNSAFE_NAME'],
    ['../x', 'UNSAFE_NAME'],
    ['a/../../x', 'UNSAFE_NAME'],
    ['a/./b', 'UNSAFE_NAME'],
    ['a//b', 'UNSAFE_NAME'],
    ['a/', 'UNSAFE_NAME'],
  ])('refuses %j', (name, code) => {
    expect(() => validateRelativePath(name)).toThrow(expect.objectContaining({ code }));
  });

  it('accepts ordinary names, dots inside names and Unicode', () => {
    expect(validateRelativePath('docs/report..final.txt')).toEqual(['docs', 'report..final.txt']);
    expect(validateRelativePath('.hidden/…/été')).toEqual(['.hidden', '…', 'été']);
  });

  it('says what is wrong and what to do', () => {
    expect(() => validateRelativePath('a/../b')).toThrow(/"\.\." segment.*Rename/);
  });
});

describe('resolveInsideRoot', () => {
  it('resolves inside the root', () => {
    expect(resolveInsideRoot('/data', 'a/b')).toBe(path.resolve('/data/a/b'));
  });

  it('never resolves outside the root, whatever the name (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '..', '.', '', '/', '\\', 'b\0', 'c:', '%2e%2e', '…'), { maxLength: 8 }), (parts) => {
        const name = parts.join('');
        let resolved: string | undefined;
        try {
          resolved = resolveInsideRoot('/data/root', name);
        } catch (error) {
          expect((error as { code: string }).code).toMatch(/UNSAFE_NAME|PATH_OUTSIDE_ROOT/);
          return;
        }
        const back = path.relative('/data/root', resolved);
        expect(back === '..' || back.startsWith(`..${path.sep}`) || path.isAbsolute(back) || back === '').toBe(false);
      }),
    );
  });

  it('gives exactly what path.resolve gives for every name it accepts, whatever the spelling of the root (property)', () => {
    const roots = ['/data/root', '/data/root/', '/data//root', '/', 'relative/root', '/data/./root/../root'];
    fc.assert(
      fc.property(fc.constantFrom(...roots), fc.array(fc.constantFrom('a', '.', '..', '...', '.hidden', 'a..b', ' x ', 'é', 'e\u0301', '/', '-'), { maxLength: 8 }), (root, parts) => {
        const name = parts.join('');
        let resolved: string;
        try {
          resolved = resolveInsideRoot(root, name);
        } catch {
          return; // refused names are the property above's concern
        }
        expect(resolved).toBe(path.resolve(root, ...name.split('/')));
      }),
    );
  });

  it('is not fooled by a sibling that shares the prefix', () => {
    // "/data/root2/x" starts with "/data/root" as a string; it is still refused as a name with "..".
    expect(() => resolveInsideRoot('/data/root', '../root2/x')).toThrow(expect.objectContaining({ code: 'UNSAFE_NAME' }));
  });
});

describe('resolveForWrite', () => {
  it('refuses to write through a symbolic link to a folder outside the root', () => {
    const root = makeTempDir();
    const outside = makeTempDir();
    fs.symlinkSync(outside, path.join(root, 'link'));
    expect(() => resolveForWrite(root, 'link/passwd')).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_ROOT' }));
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('says why a name is refused, in English and French', () => {
    const refusal = (name: string): FolderError => {
      try {
        validateRelativePath(name);
      } catch (error) {
        return error as FolderError;
      }
      throw new Error(`${name} was accepted`);
    };
    const french = (error: FolderError) => translateText(error.text, error.text.key, handlerText('fr'));
    expect(refusal('a/../x').message).toBe('Refused the name "a/../x": it has a ".." segment. Rename the file on the side where it was created.');
    expect(french(refusal('a/../x'))).toBe('Nom « a/../x » refusé : il contient un segment « .. ». Renommez le fichier du côté où il a été créé.');
    expect(french(refusal('a\\b'))).toBe('Nom « a\\b » refusé : il contient une barre oblique inverse, un séparateur de chemin sous Windows. Renommez le fichier du côté où il a été créé.');
  });

  it('refuses a path under a file, naming the file in the way, in English and French', () => {
    const root = makeTempDir();
    fs.mkdirSync(path.join(root, 'docs'));
    fs.writeFileSync(path.join(root, 'docs', 'file'), 'x');
    let thrown: unknown;
    try {
      resolveForWrite(root, 'docs/file/deep/child');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'FILE_IN_THE_WAY', path: 'docs/file/deep/child', message: '"docs/file" is a file here but a folder on the other side, so "docs/file/deep/child" cannot go into it. Resolve that conflict in Sync conflicts, or rename one of the two.' });
    expect(translateText((thrown as FolderError).text, 'folderError.FILE_IN_THE_WAY', handlerText('fr'))).toBe('« docs/file » est un fichier ici mais un dossier de l’autre côté : « docs/file/deep/child » ne peut pas y être placé. Résolvez ce conflit dans Conflits de synchronisation, ou renommez l’un des deux.');
  });

  it('allows paths whose parents do not exist yet', () => {
    const root = makeTempDir();
    expect(resolveForWrite(root, 'new/deep/file')).toBe(path.join(root, 'new', 'deep', 'file'));
  });
});

describe('keys', () => {
  it('makes NFC and NFD spellings one file', () => {
    expect(normalizationKey('caf\u00e9/r\u00e9sum\u00e9')).toBe(normalizationKey('cafe\u0301/re\u0301sume\u0301'));
  });

  it('folds case, including full folding and composed forms', () => {
    expect(caseFoldKey('Report.TXT')).toBe(caseFoldKey('report.txt'));
    expect(caseFoldKey('Stra\u00dfe')).toBe(caseFoldKey('STRASSE'));
    expect(caseFoldKey('\u00c9t\u00e9')).toBe(caseFoldKey('e\u0301te\u0301'));
    expect(caseFoldKey('a.txt')).not.toBe(caseFoldKey('b.txt'));
  });
});

describe('probeCaseInsensitive', () => {
  it('reports a case-sensitive file system (ext4/tmpfs here) and leaves nothing behind', () => {
    const root = makeTempDir();
    expect(probeCaseInsensitive(root)).toBe(false);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
