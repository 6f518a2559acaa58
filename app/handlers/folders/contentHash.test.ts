import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, hashFile, hashFileSync } from './contentHash.ts';
import { makeTempDir, removeTempDirs } from './testFolders.ts';

afterAll(removeTempDirs);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('content hashes', () => {
  it('hashes a whole file, synchronously or not, whatever its size', async () => {
    const root = makeTempDir('hash');
    for (const size of [0, 1, 4096, 1024 * 1024, 3 * 1024 * 1024 + 5]) {
      const bytes = Buffer.alloc(size);
      for (let index = 0; index < size; index += 997) bytes[index] = index % 251;
      const file = path.join(root, `f${size}`);
      fs.writeFileSync(file, bytes);
      expect([size, hashFileSync(file, `f${size}`)]).toEqual([size, sha256(bytes)]);
      expect([size, await hashFile(file, `f${size}`)]).toEqual([size, sha256(bytes)]);
    }
  });

  it('with the scanned size, hashes the bytes that size covers: a file grown since keeps the hash of what was scanned', () => {
    const root = makeTempDir('hash');
    const file = path.join(root, 'log.txt');
    fs.writeFileSync(file, 'first line\n');
    const scanned = fs.statSync(file).size;
    fs.appendFileSync(file, 'appended after the scan\n');
    expect(hashFileSync(file, 'log.txt', scanned)).toBe(sha256(Buffer.from('first line\n')));
    expect(hashFileSync(file, 'log.txt')).toBe(sha256(fs.readFileSync(file)));
    fs.truncateSync(file, 4); // shrunk since the scan: what is there
    expect(hashFileSync(file, 'log.txt', scanned)).toBe(sha256(Buffer.from('firs')));
    expect(hashFileSync(file, 'log.txt', 0)).toBe(sha256(Buffer.alloc(0)));
    const large = Buffer.alloc(CHUNK_SIZE * 2 + 3, 7); // more than one buffer: still exactly the scanned bytes
    fs.writeFileSync(file, Buffer.concat([large, Buffer.from('tail')]));
    expect(hashFileSync(file, 'log.txt', large.length)).toBe(sha256(large));
  });

  it('names the file it cannot read', () => {
    const root = makeTempDir('hash');
    expect(() => hashFileSync(path.join(root, 'gone.txt'), 'gone.txt', 10)).toThrow(expect.objectContaining({ path: 'gone.txt' }));
  });
});
