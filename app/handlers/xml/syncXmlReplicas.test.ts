import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../engine/testSupport.ts';
import { resizeSmallFileSystem, suiteFileSystem } from '../folders/testFolders.ts';
import { describe as describeError } from '../pairSession.ts';
import { resolveXmlConflict, syncXmlReplicas, type SyncXmlOptions } from './syncXmlReplicas.ts';

function ids(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${(++next).toString(16).padStart(12, '0')}`;
}

const LEFT = `<?xml version="1.0" encoding="UTF-8"?>
<!-- contacts -->
<contacts>
  <contact id="ann"   kind='friend'><name>Ann</name><phone>1</phone></contact>
  <contact id="bob">
      <name>Bob &amp; Co</name>
  </contact>
  <!-- keep me -->
  <note id="n1">free <b>text</b></note>
</contacts>
`;

function setup(): { dir: string; left: string; right: string; options: SyncXmlOptions } {
  const dir = tempDir('synccenter-xml-');
  const left = path.join(dir, 'left.xml');
  const right = path.join(dir, 'right.xml');
  fs.writeFileSync(left, LEFT);
  return { dir, left, right, options: { clock: () => 1_700_000_000_000, newId: ids() } };
}

const read = (file: string): string => fs.readFileSync(file, 'utf8');

describe('syncXmlReplicas', () => {
  it('copies a file, then keeps untouched elements byte-identical through a round trip', async () => {
    const { left, right, options } = setup();
    const first = await syncXmlReplicas(left, right, options);
    expect(first.upload?.created).toBe(3);
    expect(read(right)).toContain(`<contact id="ann" kind="friend">\n    <name>Ann</name>\n    <phone>1</phone>\n  </contact>`);
    expect(read(right).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!-- contacts -->\n<contacts>')).toBe(true);
    expect(read(right)).toContain('<name>Bob &amp; Co</name>');
    const rightBefore = read(right);
    fs.writeFileSync(left, read(left).replace('<phone>1</phone>', '<phone>2</phone>'));
    const second = await syncXmlReplicas(left, right, options);
    expect(second.upload?.updated).toBe(1);
    const rightAfter = read(right);
    const bob = /<contact id="bob">[\s\S]*?<\/contact>/.exec(rightBefore)?.[0] ?? 'missing';
    expect(rightAfter).toContain(bob);
    expect(rightAfter).toContain('<phone>2</phone>');
    expect(rightAfter.replace('<phone>2</phone>', '<phone>1</phone>')).toBe(rightBefore);
    expect(read(left)).toBe(LEFT.replace('<phone>1</phone>', '<phone>2</phone>'));
    const again = await syncXmlReplicas(left, right, options);
    expect(again.upload?.received).toBe(0);
    expect(again.download?.received).toBe(0);
  });

  it('propagates deletions and additions both ways', async () => {
    const { left, right, options } = setup();
    await syncXmlReplicas(left, right, options);
    fs.writeFileSync(right, read(right).replace(/\s*<note id="n1">[\s\S]*?<\/note>/, '').replace('</contacts>', '  <contact id="cy"/>\n</contacts>'));
    const result = await syncXmlReplicas(left, right, options);
    expect(result.download?.deleted).toBe(1);
    expect(result.download?.created).toBe(1);
    expect(read(left)).not.toContain('n1');
    expect(read(left)).toContain('<contact id="cy"/>');
    expect(read(left)).toContain('<!-- keep me -->');
  });

  it('saves a concurrent edit for later with both elements, and resolves it', async () => {
    const { left, right, options } = setup();
    await syncXmlReplicas(left, right, options);
    fs.writeFileSync(left, read(left).replace('<phone>1</phone>', '<phone>L</phone>'));
    fs.writeFileSync(right, read(right).replace('<phone>1</phone>', '<phone>R</phone>'));
    const result = await syncXmlReplicas(left, right, options);
    expect(result.conflicts).toHaveLength(1);
    const conflict = result.conflicts[0];
    if (!conflict) throw new Error('no conflict');
    expect(conflict).toMatchObject({ kind: 'updateUpdate', name: 'ann', action: 'saveForLater', detectedAt: 1_700_000_000_000 });
    expect(conflict.leftXml).toContain('<phone>L</phone>');
    expect(conflict.rightXml).toContain('<phone>R</phone>');
    expect(read(left)).toContain('<phone>L</phone>');
    expect(read(right)).toContain('<phone>R</phone>');
    const resolved = await resolveXmlConflict(left, right, conflict, 'keepRight', options);
    expect(resolved.conflicts).toEqual([]);
    expect(read(left)).toContain('<phone>R</phone>');
    expect(read(right)).toContain('<phone>R</phone>');
    const quiet = await syncXmlReplicas(left, right, options);
    expect(quiet.conflicts).toEqual([]);
  });

  it('keeps both sides of a conflict on request', async () => {
    const { left, right, options } = setup();
    await syncXmlReplicas(left, right, options);
    fs.writeFileSync(left, read(left).replace('<phone>1</phone>', '<phone>L</phone>'));
    fs.writeFileSync(right, read(right).replace('<phone>1</phone>', '<phone>R</phone>'));
    const [conflict] = (await syncXmlReplicas(left, right, options)).conflicts;
    if (!conflict) throw new Error('no conflict');
    await resolveXmlConflict(left, right, conflict, 'keepBoth', options);
    for (const file of [left, right]) {
      expect(read(file)).toContain('<phone>L</phone>');
      expect(read(file)).toContain('<phone>R</phone>');
    }
  });

  // Found by the XML convergence proof: a second "keep both" of the same element wrote its copy over the first.
  it('keeps both sides again on a later conflict of the same element, without overwriting the first copy', async () => {
    const { left, right, options } = setup();
    await syncXmlReplicas(left, right, options);
    const conflictOn = async (leftPhone: string, rightPhone: string) => {
      fs.writeFileSync(left, read(left).replace(/<phone>[^<]*<\/phone>/, `<phone>${leftPhone}</phone>`));
      fs.writeFileSync(right, read(right).replace(/<phone>[^<]*<\/phone>/, `<phone>${rightPhone}</phone>`));
      const [conflict] = (await syncXmlReplicas(left, right, options)).conflicts;
      if (!conflict) throw new Error('no conflict');
      await resolveXmlConflict(left, right, conflict, 'keepBoth', options);
    };
    await conflictOn('L1', 'R1');
    await conflictOn('L2', 'R2');
    for (const file of [left, right]) {
      for (const phone of ['L2', 'R1', 'R2']) expect([file, phone, read(file).includes(`<phone>${phone}</phone>`)]).toEqual([file, phone, true]);
      expect(read(file)).toContain('id="ann-right"');
      expect(read(file)).toContain('id="ann-right-2"');
    }
  });

  it('refuses to resolve a concurrent edit when the element was edited again since, and writes nothing', async () => {
    const { left, right, options } = setup();
    await syncXmlReplicas(left, right, options);
    fs.writeFileSync(left, read(left).replace('<phone>1</phone>', '<phone>L</phone>'));
    fs.writeFileSync(right, read(right).replace('<phone>1</phone>', '<phone>R</phone>'));
    const [conflict] = (await syncXmlReplicas(left, right, options)).conflicts;
    const saving = conflict?.savedIn === 'left' ? left : right;
    fs.writeFileSync(saving, read(saving).replace(/<phone>[LR]<\/phone>/, '<phone>again</phone>'));
    const before = [read(left), read(right)];
    await expect(resolveXmlConflict(left, right, conflict!, 'keepBoth', options)).rejects.toMatchObject({ code: 'XML_CONFLICT_CHANGED' });
    expect([read(left), read(right)]).toEqual(before);
  });

  it('keepNewer settles conflicts without saving them', async () => {
    const { left, right, options } = setup();
    await syncXmlReplicas(left, right, options);
    fs.writeFileSync(left, read(left).replace('<phone>1</phone>', '<phone>L</phone>'));
    fs.writeFileSync(right, read(right).replace(/\s*<contact id="ann"[\s\S]*?<\/contact>/, ''));
    const result = await syncXmlReplicas(left, right, { ...options, conflictPolicy: 'keepNewer' });
    expect(result.conflicts.map((c) => c.kind).sort()).toEqual(['deleteUpdate']);
    expect(read(left).includes('id="ann"')).toBe(read(right).includes('id="ann"'));
  });
});

describe('syncXmlReplicas: one id created in both files (a collision)', () => {
  const contacts = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<contacts>\n${body}</contacts>\n`;
  /** A file's contact elements without the whitespace between tags, sorted. */
  const elements = (file: string): string[] => (read(file).replace(/>\s+</g, '><').match(/<contact [^>]*>.*?<\/contact>/g) ?? []).sort();
  /** Two files that both created `<contact id="c">`, with different phones; `third` got the left one first. */
  async function collided(leftFirst: boolean): Promise<{ left: string; right: string; third: string; options: SyncXmlOptions }> {
    const dir = tempDir('synccenter-xml-collision-');
    const [left, right, third] = ['left.xml', 'right.xml', 'third.xml'].map((name) => path.join(dir, name)) as [string, string, string];
    const options: SyncXmlOptions = { clock: () => 1_700_000_000_000, newId: ids() };
    const files = leftFirst ? ([[left, 'L'], [right, 'R']] as const) : ([[right, 'R'], [left, 'L']] as const);
    // Each file's first sync gives its element an item id: the order decides which id is smaller.
    for (const [file, phone] of files) {
      fs.writeFileSync(file, contacts(`  <contact id="c"><phone>${phone}</phone></contact>\n`));
      await syncXmlReplicas(file, file === left ? third : path.join(dir, 'scratch.xml'), options);
    }
    return { left, right, third, options };
  }

  for (const leftFirst of [true, false]) {
    it(`is one conflict; "keep both" writes the same two elements into both files, and every later sync is quiet (left ${leftFirst ? 'older' : 'newer'})`, async () => {
      const { left, right, third, options } = await collided(leftFirst);
      const result = await syncXmlReplicas(left, right, options);
      expect(result.conflicts.map((conflict) => [conflict.kind, conflict.name])).toEqual([['collision', 'c']]);
      const after = await resolveXmlConflict(left, right, result.conflicts[0]!, 'keepBoth', options);
      expect(after.conflicts).toEqual([]);
      const both = ['<contact id="c"><phone>L</phone></contact>', '<contact id="c-right"><phone>R</phone></contact>'];
      for (const file of [left, right]) expect(elements(file)).toEqual(both);
      // The third file, which had the left element, gets the same two, and nothing comes back.
      await syncXmlReplicas(third, right, options);
      await syncXmlReplicas(left, third, options);
      expect(elements(third)).toEqual(both);
      const quiet = await syncXmlReplicas(left, right, options);
      expect([quiet.conflicts, quiet.upload?.applied ?? 0, quiet.download?.applied ?? 0]).toEqual([[], 0, 0]);
    });
  }

  it('"keep right" leaves the right element in every file, the third one too', async () => {
    const { left, right, third, options } = await collided(true);
    const [conflict] = (await syncXmlReplicas(left, right, options)).conflicts;
    await resolveXmlConflict(left, right, conflict!, 'keepRight', options);
    await syncXmlReplicas(left, third, options);
    await syncXmlReplicas(third, right, options);
    for (const file of [left, right, third]) expect(elements(file)).toEqual(['<contact id="c"><phone>R</phone></contact>']);
  });

  it('refuses a resolution when the element changed since the conflict was saved, writes nothing, and the next sync shows the collision as it is', async () => {
    const { left, right, options } = await collided(true);
    const [conflict] = (await syncXmlReplicas(left, right, options)).conflicts;
    fs.writeFileSync(left, read(left).replace('<phone>L</phone>', '<phone>L2</phone>'));
    const before = [read(left), read(right)];
    await expect(resolveXmlConflict(left, right, conflict!, 'keepRight', options)).rejects.toMatchObject({
      code: 'XML_CONFLICT_CHANGED',
      message: expect.stringMatching(/left\.xml: The element with id "c" changed since this conflict was saved.*Nothing was written; sync again/),
    });
    expect([read(left), read(right)]).toEqual(before);
    const [again] = (await syncXmlReplicas(left, right, options)).conflicts;
    expect([again?.kind, again?.leftXml?.replace(/>\s+</g, '><')]).toEqual(['collision', '<contact id="c"><phone>L2</phone></contact>']);
  });
});

describe('XML replica bad input', () => {
  const cases: Array<[string, string, string]> = [
    ['malformed', '<contacts>\n  <contact id="a">\n</contacts>', 'XML_MALFORMED'],
    ['undefined entity', '<contacts><contact id="a">&nope;</contact></contacts>', 'XML_MALFORMED'],
    ['doctype', '<!DOCTYPE contacts><contacts/>', 'XML_DOCTYPE_REFUSED'],
    ['entity bomb', '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<contacts><c id="a">&lol2;</c></contacts>', 'XML_DOCTYPE_REFUSED'],
    ['external entity', '<!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><c><i id="a">&xxe;</i></c>', 'XML_DOCTYPE_REFUSED'],
    ['missing id', '<contacts>\n  <contact name="x"/>\n</contacts>', 'XML_MISSING_ID'],
    ['duplicate id', '<contacts>\n  <contact id="a"/>\n  <contact id="a"/>\n</contacts>', 'XML_DUPLICATE_ID'],
    ['no root', '', 'XML_MALFORMED'],
  ];
  for (const [name, content, code] of cases) {
    it(`refuses ${name} and writes nothing`, async () => {
      const { dir, left, right, options } = setup();
      fs.writeFileSync(right, content);
      const error = await syncXmlReplicas(left, right, options).then(() => null, (caught: unknown) => caught);
      expect(error).toMatchObject({ code });
      expect(read(right)).toBe(content);
      expect(read(left)).toBe(LEFT);
      expect(fs.readdirSync(dir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    });
  }

  it('reports line and column of malformed XML', async () => {
    const { left, right, options } = setup();
    fs.writeFileSync(right, '<contacts>\n  <contact id="a">\n  </contakt>\n</contacts>');
    const error = await syncXmlReplicas(left, right, options).then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'XML_MALFORMED', line: 3 });
    expect(String((error as Error).message)).toMatch(/right\.xml, line 3, column \d+/);
  });
});

const tmpfs = suiteFileSystem('[xml] full-disk test', '16k');

describe.skipIf(tmpfs === undefined)('XML replica on a full disk (a real tmpfs)', () => {
  it('NO_SPACE naming the file, the file and its metadata as they were, no temporary file; with room the sync completes', async () => {
    const { left, options } = setup();
    const disk = tmpfs ?? '';
    const right = path.join(disk, 'right.xml');
    const failure = await syncXmlReplicas(left, right, options).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'NO_SPACE' });
    expect(describeError(failure)).toMatch(/^No space left (to write|to record this sync in) "/);
    expect(fs.readFileSync(left, 'utf8')).toBe(LEFT);
    expect(fs.readdirSync(disk).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    resizeSmallFileSystem(disk, '4m');
    const result = await syncXmlReplicas(left, right, options);
    expect(result.conflicts).toEqual([]);
    expect(fs.readFileSync(right, 'utf8')).toContain('<name>Bob &amp; Co</name>');
    expect(fs.readFileSync(left, 'utf8')).toBe(LEFT);
  });
});
