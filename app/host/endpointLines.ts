/**
 * Splits a byte stream into UTF-8 lines with a size bound, for the control endpoint and its client.
 */
import type { Socket } from 'node:net';

/** Calls `onLine` per complete non-empty line; `onOverflow` once if a line exceeds `maxBytes` (then stops). */
export function readLines(socket: Socket, maxBytes: number, onLine: (line: string) => void, onOverflow: () => void): void {
  let buffered: Buffer[] = [];
  let size = 0;
  let overflowed = false;
  socket.on('data', (chunk: Buffer) => {
    if (overflowed) return;
    let start = 0;
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, start)) {
      buffered.push(chunk.subarray(start, index));
      const line = Buffer.concat(buffered).toString('utf8').trim();
      buffered = [];
      size = 0;
      start = index + 1;
      if (line.length > 0) onLine(line);
    }
    buffered.push(chunk.subarray(start));
    size += chunk.length - start;
    if (size > maxBytes) {
      overflowed = true;
      onOverflow();
    }
  });
}
