import { describe, expect, it, vi } from 'vitest';
import type { ControlApi } from '../../../app/control/contract.ts';
import type { Conflict } from '../../../app/control/schemas.ts';
import { ApiError } from '../../api/ApiError.ts';
import { conflictKindKey, guardDecision, keepEffectKey, newerSide, otherConflictsOfKind, resolveEach } from './conflictChoices.ts';

function conflict(overrides: Partial<Conflict> = {}): Conflict {
  return {
    id: 'c1',
    handlerId: 'folders',
    itemId: 'docs',
    kind: 'updateUpdate',
    name: 'report.txt',
    description: '',
    detectedTime: 1,
    versions: [
      { side: 'left', label: 'Laptop', modifiedTime: 200, size: 10 },
      { side: 'right', label: 'USB', modifiedTime: 100, size: 12 },
    ],
    ...overrides,
  };
}

describe('conflict choices', () => {
  it('reads a safety guard as a decision about the side its version marks stopped', () => {
    const guard = (kind: string, stopped: 'left' | 'right' | null) =>
      conflict({
        kind,
        name: stopped === 'right' ? '/media/usb/Documents' : '/home/me/Documents',
        versions: [
          { side: 'left', label: 'First: /home/me/Documents (folder)', modifiedTime: null, size: null, location: '/home/me/Documents', ...(stopped === 'left' ? { stopped: true } : {}) },
          { side: 'right', label: 'Second: /media/usb/Documents (folder)', modifiedTime: null, size: null, location: '/media/usb/Documents', ...(stopped === 'right' ? { stopped: true } : {}) },
        ],
      });
    expect(guardDecision(guard('massDelete', 'right'))).toEqual({ kind: 'massDelete', guarded: 'right', guardedRoot: '/media/usb/Documents', otherRoot: '/home/me/Documents' });
    expect(guardDecision(guard('rootMissing', 'left'))).toEqual({ kind: 'rootMissing', guarded: 'left', guardedRoot: '/home/me/Documents', otherRoot: '/media/usb/Documents' });
    // Anything else is two versions of one thing: the usual dialog.
    expect(guardDecision(guard('updateUpdate', 'left'))).toBeNull();
    expect(guardDecision(conflict())).toBeNull();
    // A guard kind with no side marked stopped (another handler's) is shown as two versions too.
    expect(guardDecision(guard('massDelete', null))).toBeNull();
  });

  it('finds the newer side, or none when times are missing or equal', () => {
    expect(newerSide(conflict())).toBe('left');
    expect(newerSide(conflict({ versions: [{ side: 'left', label: 'a', modifiedTime: 1, size: 0 }, { side: 'right', label: 'b', modifiedTime: 1, size: 0 }] }))).toBeNull();
    expect(newerSide(conflict({ versions: [] }))).toBeNull();
  });

  it('explains keeping a side by what the other side holds', () => {
    expect(keepEffectKey(conflict(), 'left')).toBe('resolve.effects.replace');
    const deleted = conflict({
      versions: [
        { side: 'left', label: 'a', modifiedTime: 1, size: null, preview: { kind: 'deleted', text: '', truncated: false } },
        { side: 'right', label: 'b', modifiedTime: 2, size: 3 },
      ],
    });
    expect(keepEffectKey(deleted, 'left')).toBe('resolve.effects.keepDeletion');
    expect(keepEffectKey(deleted, 'right')).toBe('resolve.effects.restore');
  });

  it('counts other conflicts of the same handler and kind', () => {
    const all = [conflict(), conflict({ id: 'c2' }), conflict({ id: 'c3', kind: 'collision' }), conflict({ id: 'c4', handlerId: 'xml' })];
    expect(otherConflictsOfKind(all, conflict())).toBe(1);
    expect(conflictKindKey('collision')).toBe('conflicts.kinds.collision');
    expect(conflictKindKey('somethingNew')).toBeNull();
  });

  it('resolves each selected conflict and reports failures without stopping', async () => {
    const resolveConflict = vi.fn(async ({ conflictId }: { conflictId: string }) => {
      if (conflictId === 'bad') throw new ApiError('CONFLICT_GONE', 'report.txt changed again');
      return { resolved: [conflictId] };
    });
    const api = { resolveConflict } as unknown as ControlApi;
    const outcome = await resolveEach(api, ['a', 'bad', 'b'], 'keepNewer');
    expect(outcome).toEqual({ resolved: ['a', 'b'], failed: [{ id: 'bad', message: 'report.txt changed again' }] });
    expect(resolveConflict).toHaveBeenCalledWith({ conflictId: 'a', choice: 'keepNewer' });
  });
});
