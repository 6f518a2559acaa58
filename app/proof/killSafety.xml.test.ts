/**
 * Kill safety of the XML replica, through the real CLI: two XML files of 2,000 elements are edited on both sides
 * (element edits, creates, deletes; never the same id on both sides, so any conflict would be invented), then
 * `synccenter sync` is killed with SIGKILL at a random moment, and synced again.
 *
 * Right after each kill: both files parse and every element is a version a user wrote; both metadata databases
 * pass `PRAGMA integrity_check`. After the clean sync: it succeeds with no conflict, both files hold exactly the
 * elements the users wrote last, no temporary file is left beside them.
 * Prints "N kills, N survived, 0 lost". Kills: PROOF_XML_KILLS (default 50), split over two pairs side by side.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../handlers/folders/testFolders.ts';
import { parseXmlDocument } from '../handlers/xml/xmlDocument.ts';
import { syncXmlReplicas } from '../handlers/xml/syncXmlReplicas.ts';
import { integrityCheck, leftoverTempFiles, proveKillSafety, runScript, seededRandom, sha256, type KillablePair, type Random } from './proofKit.ts';

if (process.env.PROOF_KEEP !== '1') afterAll(removeTempDirs);

const KILLS = Number(process.env.PROOF_XML_KILLS ?? 50);
const ELEMENTS = 2_000;

type Side = 'left' | 'right';

/** An element's identity and change units, independent of layout: what "the same version" means. */
function fingerprint(name: string, units: ReadonlyMap<string, string>): string {
  return sha256(JSON.stringify([name, [...units].sort(([a], [b]) => a.localeCompare(b))]));
}

/** The elements of an XML replica file as `id → fingerprint`. Throws when the file does not parse. */
function elementsOf(file: string): Map<string, string> {
  const doc = parseXmlDocument(fs.readFileSync(file, 'utf8'), file);
  return new Map(doc.items.map((item) => [item.name, fingerprint(item.name, item.units)]));
}

/** One pair of XML files with the model of what its users wrote. */
class KilledXmlPair implements KillablePair {
  readonly directory: string;
  readonly dataDir: string;
  /** Element id → its XML, as it must end on both sides. */
  readonly model = new Map<string, string>();
  /** Fingerprints of every element version any user wrote. */
  readonly written = new Set<string>();
  readonly label: string;
  private readonly random: Random;
  private counter = 0;

  constructor(label: string, seed: number) {
    this.label = label;
    this.directory = makeTempDir(`kill-xml-${label}`);
    this.dataDir = path.join(this.directory, 'data');
    this.random = seededRandom(seed);
  }

  get where(): string {
    return this.directory;
  }

  get addArgs(): readonly string[] {
    return ['add', 'xml', this.file('left'), this.file('right')];
  }

  file(side: Side): string {
    return path.join(this.directory, side === 'left' ? 'left.xml' : 'right.xml');
  }

  /** Half of the elements start in each file, so the first (killed) sync copies both ways. */
  populate(): void {
    const sides: Record<Side, Map<string, string>> = { left: new Map(), right: new Map() };
    for (let index = 0; index < ELEMENTS; index += 1) sides[index % 2 === 0 ? 'left' : 'right'].set(`e${index}`, this.element(`e${index}`));
    for (const side of ['left', 'right'] as const) this.save(side, sides[side]);
  }

  /** A round of user edits in both files, never touching one id in both. */
  mutate(round: number): void {
    const docs: Record<Side, Map<string, string>> = { left: this.load('left'), right: this.load('right') };
    const ids = [...this.model.keys()];
    const touched = new Set<string>();
    for (let op = 0; op < 200; op += 1) {
      const side: Side = this.random.chance(0.5) ? 'left' : 'right';
      const id = this.random.pick(ids);
      if (touched.has(id) || !this.model.has(id)) continue;
      const roll = this.random.next();
      if (roll < 0.7) {
        touched.add(id);
        docs[side].set(id, this.element(id));
      } else if (roll < 0.85) {
        const created = `n${round}x${++this.counter}`;
        touched.add(created);
        docs[side].set(created, this.element(created));
      } else {
        touched.add(id);
        docs[side].delete(id);
        this.model.delete(id);
      }
    }
    for (const side of ['left', 'right'] as const) this.save(side, docs[side]);
  }

  /** A new version of element `id` (recorded in the model and the written set). */
  private element(id: string): string {
    const stamp = `${id}-${++this.counter}-${Math.floor(this.random.next() * 1e9)}`;
    const xml = `<item id="${id}" v="${stamp}" size="${this.random.int(1000)}"><note>${'note '.repeat(1 + this.random.int(12))}${stamp}</note></item>`;
    const [parsed] = parseXmlDocument(`<items>${xml}</items>`, 'model').items;
    if (parsed === undefined) throw new Error('the model element did not parse');
    this.written.add(fingerprint(parsed.name, parsed.units));
    this.model.set(id, xml);
    return xml;
  }

  /** A user's program reads the file's elements… */
  private load(side: Side): Map<string, string> {
    const file = this.file(side);
    const text = fs.readFileSync(file, 'utf8');
    return new Map(parseXmlDocument(text, file).items.map((item) => [item.name, text.slice(item.start, item.end)]));
  }

  /** …and saves the whole file in place (not atomically: it is not the sync's file write). */
  private save(side: Side, elements: ReadonlyMap<string, string>): void {
    fs.writeFileSync(this.file(side), `<?xml version="1.0" encoding="UTF-8"?>\n<items>\n${[...elements.values()].map((xml) => `  ${xml}\n`).join('')}</items>\n`);
  }

  /** Right after a kill: both files parse, every element is a version a user wrote, databases intact. */
  checkAfterKill(): string[] {
    const problems: string[] = [];
    for (const side of ['left', 'right'] as const) {
      try {
        const foreign = [...elementsOf(this.file(side))].filter(([, print]) => !this.written.has(print)).map(([id]) => id);
        if (foreign.length > 0) problems.push(`${side}: ${foreign.length} element(s) no user wrote: ${foreign.slice(0, 5).join(', ')}`);
      } catch (error) {
        problems.push(`${side} does not parse after the kill: ${(error as Error).message}`);
      }
    }
    return [...problems, ...this.databaseProblems()];
  }

  /** After the clean sync: both files equal the model, no temporary file, databases intact. */
  checkConverged(): { problems: string[]; lost: number } {
    const expected = new Map([...this.model].map(([id, xml]) => [id, fingerprint(id, parseXmlDocument(`<items>${xml}</items>`, 'model').items[0]?.units ?? new Map())]));
    const problems: string[] = [];
    let lost = 0;
    for (const side of ['left', 'right'] as const) {
      const actual = elementsOf(this.file(side));
      const missing = [...expected].filter(([id, print]) => actual.get(id) !== print).map(([id]) => id);
      const extra = [...actual.keys()].filter((id) => !expected.has(id));
      lost += missing.length;
      if (missing.length + extra.length > 0) problems.push(`${side}: ${missing.length} element(s) missing or not the last version (${missing.slice(0, 5).join(', ')}), ${extra.length} unexpected (${extra.slice(0, 5).join(', ')})`);
    }
    const temps = leftoverTempFiles(this.directory);
    if (temps.length > 0) problems.push(`temporary files left: ${temps.join(', ')}`);
    return { problems: [...problems, ...this.databaseProblems()], lost };
  }

  private databaseProblems(): string[] {
    const files = [...(['left', 'right'] as const).map((side) => `${this.file(side)}.synccenter/metadata.db`), path.join(this.dataDir, 'state.db')];
    return files.filter((file) => fs.existsSync(file)).flatMap((file) => {
      const verdict = integrityCheck(file);
      return verdict === 'ok' ? [] : [`${file}: integrity_check says ${verdict}`];
    });
  }
}

describe('kill safety (XML replica, CLI)', () => {
  it(`a sync of two ${ELEMENTS}-element XML files killed with SIGKILL ${KILLS} times loses nothing`, async () => {
    const total = await proveKillSafety('XML', KILLS, (label, seed) => new KilledXmlPair(label, seed));
    expect(total.failures).toEqual([]);
    expect(total.kills).toBe(KILLS);
    expect(total.survived).toBe(total.kills);
    expect(total.lost).toBe(0);
  }, 900_000);

  it('a sync killed between its temporary file and the rename leaves the old file, and the next sync removes the leftover', async () => {
    const directory = makeTempDir('kill-xml-rename');
    const [left, right] = [path.join(directory, 'left.xml'), path.join(directory, 'right.xml')];
    fs.writeFileSync(left, '<?xml version="1.0"?>\n<items>\n  <item id="a" v="1"/>\n</items>\n');
    await syncXmlReplicas(left, right, { clock: Date.now });
    const before = fs.readFileSync(right, 'utf8');
    fs.writeFileSync(left, fs.readFileSync(left, 'utf8').replace('v="1"', 'v="2"'));
    const killed = await runScript(`
      import fs from 'node:fs';
      const { syncXmlReplicas } = await import(process.env.REPO + '/app/handlers/xml/syncXmlReplicas.ts');
      fs.renameSync = () => process.kill(process.pid, 'SIGKILL'); // dies with the temporary file written, before the rename
      await syncXmlReplicas(${JSON.stringify(left)}, ${JSON.stringify(right)}, { clock: Date.now });
    `);
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.readFileSync(right, 'utf8')).toBe(before);
    expect(leftoverTempFiles(directory)).toHaveLength(1);
    await syncXmlReplicas(left, right, { clock: Date.now });
    expect(leftoverTempFiles(directory)).toEqual([]);
    expect(elementsOf(right)).toEqual(elementsOf(left));
  });
});
