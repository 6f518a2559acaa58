import { describe, expect, it, vi } from 'vitest';
import { makeHandler } from '../../test/fixtures.ts';
import type { ControlApi } from '../../../app/control/contract.ts';
import { emptyDraft, examplePath, excludePatterns, hostErrorField, validateDraft } from './partnershipDraft.ts';
import { createPartnership, setupHandlerId } from './setupCall.ts';

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

describe('host errors and examples', () => {
  it('puts the host message next to the path it names, longest path first', () => {
    const draft = { first: '/home/ana/Photos', second: '/home/ana/Photos-backup/' };
    expect(hostErrorField('The folder /home/ana/Photos-backup does not exist.', draft)).toBe('second');
    expect(hostErrorField('Permission denied on /home/ana/Photos', draft)).toBe('first');
    expect(hostErrorField('The handler is busy.', draft)).toBeNull();
  });

  it('gives path examples for the host platform', () => {
    expect(examplePath('folders', 'linux')).toBe('/home/you/Documents');
    expect(examplePath('xml', 'win32')).toBe('C:\\Users\\you\\contacts.xml');
    expect(examplePath('folders', null)).toBe('/home/you/Documents');
  });

  it('sends name, both sides, exclusions and the conflict policy to addItem', async () => {
    const addItem = vi.fn(async () => ({ id: 'new' }));
    const draft = { ...emptyDraft('folders'), name: ' Docs ', first: '/a ', second: '/b', excludes: '*.tmp\n', policy: 'newerWins' as const };
    await createPartnership({ addItem } as unknown as ControlApi, 'folders', draft);
    expect(addItem).toHaveBeenCalledWith({ handlerId: 'folders', args: ['/a', '/b'], name: 'Docs', exclude: ['*.tmp'], conflictPolicy: 'newerWins' });
  });
});
