import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../test/fixtures.ts';
import { emptyDraft, excludePatterns, validateDraft } from './partnershipDraft.ts';
import { setupHandlerId } from './setupCall.ts';

const folders = (first: string, second: string) => ({ ...emptyDraft('folders'), name: 'Docs', first, second });

describe('validateDraft', () => {
  it('accepts two different absolute folders', () => {
    expect(validateDraft(folders('/home/a/Docs', '/media/usb/Docs'))).toEqual({});
    expect(validateDraft(folders('C:\\Users\\a\\Docs', '\\\\nas\\share\\Docs'))).toEqual({});
  });

  it('explains each problem on its field', () => {
    expect(validateDraft({ ...emptyDraft('folders') })).toEqual({ name: 'nameRequired', first: 'folderRequired', second: 'folderRequired' });
    expect(validateDraft(folders('relative', '/x'))).toEqual({ first: 'notAbsolute' });
    expect(validateDraft(folders('/a/b/', '/a/b'))).toEqual({ second: 'samePath' });
    expect(validateDraft(folders('C:\\Data', 'c:/data'))).toEqual({ second: 'samePath' });
    expect(validateDraft(folders('/a', '/a/b'))).toEqual({ second: 'nestedPath' });
    expect(validateDraft(folders('/a/b', '/a'))).toEqual({ second: 'nestedPath' });
    expect(validateDraft(folders('/a', '/ab'))).toEqual({});
  });

  it('wants .xml files for XML pairs', () => {
    const draft = { ...emptyDraft('xml'), name: 'Contacts', first: '/a/contacts.xml', second: '/b/contacts.txt' };
    expect(validateDraft(draft)).toEqual({ second: 'notXml' });
  });
});

describe('setup helpers', () => {
  it('cleans exclude patterns', () => {
    expect(excludePatterns(' *.tmp \n\n# comment\nnode_modules/\r\n')).toEqual(['*.tmp', 'node_modules/']);
  });

  it('finds the handler that sets up a kind', () => {
    expect(setupHandlerId([makeHandler({ id: 'folders' })], 'folders')).toBe('folders');
    expect(setupHandlerId([makeHandler({ id: 'folders' })], 'xml')).toBeNull();
  });
});
