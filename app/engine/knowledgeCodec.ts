/**
 * Compact, versioned binary encoding of knowledge: a format byte, the key map as 16-byte GUIDs, then vectors as
 * LEB128 varints. Ticks stay below 2^53, so varints use arithmetic rather than 32-bit bit operations.
 */
import type { ClockVector } from './clockVector.ts';
import { trimVector } from './clockVector.ts';
import { KnowledgeFormatError } from './errors.ts';
import { Knowledge, type ItemException, type RangeException } from './knowledge.ts';

const FORMAT_V1 = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

class Writer {
  private bytes: number[] = [];
  byte(value: number): void {
    this.bytes.push(value);
  }
  varint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.bytes.push((rest % 0x80) + 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.bytes.push(rest);
  }
  text(value: string): void {
    const encoded = encoder.encode(value);
    this.varint(encoded.length);
    for (const byte of encoded) this.bytes.push(byte);
  }
  guid(value: string): void {
    const hex = value.replaceAll('-', '');
    if (hex.length !== 32) throw new KnowledgeFormatError(`replica id ${value} is not a GUID`);
    for (let index = 0; index < 32; index += 2) this.bytes.push(Number.parseInt(hex.slice(index, index + 2), 16));
  }
  vector(vector: ClockVector): void {
    this.varint(vector.length);
    for (const tick of vector) this.varint(tick);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

class Reader {
  private offset = 0;
  private readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  byte(): number {
    const value = this.bytes[this.offset++];
    if (value === undefined) throw new KnowledgeFormatError('unexpected end of data');
    return value;
  }
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new KnowledgeFormatError('varint too long');
    }
  }
  text(): string {
    const length = this.varint();
    if (this.offset + length > this.bytes.length) throw new KnowledgeFormatError('string past end of data');
    const value = decoder.decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return value;
  }
  guid(): string {
    let hex = '';
    for (let index = 0; index < 16; index++) hex += this.byte().toString(16).padStart(2, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  vector(): ClockVector {
    const length = this.varint();
    const ticks: number[] = [];
    for (let index = 0; index < length; index++) ticks.push(this.varint());
    return trimVector(ticks);
  }
  done(): boolean {
    return this.offset === this.bytes.length;
  }
}

/** Encodes knowledge to bytes. */
export function encodeKnowledge(knowledge: Knowledge): Uint8Array {
  const writer = new Writer();
  writer.byte(FORMAT_V1);
  writer.varint(knowledge.keyMap.length);
  for (const replica of knowledge.keyMap) writer.guid(replica);
  writer.vector(knowledge.base);
  writer.varint(knowledge.ranges.length);
  for (const range of knowledge.ranges) {
    writer.text(range.from);
    writer.byte(range.to === null ? 0 : 1);
    if (range.to !== null) writer.text(range.to);
    writer.vector(range.vector);
  }
  writer.varint(knowledge.items.length);
  for (const item of knowledge.items) {
    writer.text(item.itemId);
    writer.vector(item.vector);
  }
  return writer.finish();
}

/** Decodes bytes produced by `encodeKnowledge`; throws `KNOWLEDGE_FORMAT` on anything else. */
export function decodeKnowledge(bytes: Uint8Array): Knowledge {
  const reader = new Reader(bytes);
  const format = reader.byte();
  if (format !== FORMAT_V1) throw new KnowledgeFormatError(`unknown format ${format}`);
  const keyMap = Array.from({ length: reader.varint() }, () => reader.guid());
  const base = reader.vector();
  const ranges: RangeException[] = Array.from({ length: reader.varint() }, () => {
    const from = reader.text();
    const to = reader.byte() === 0 ? null : reader.text();
    return { from, to, vector: reader.vector() };
  });
  const items: ItemException[] = Array.from({ length: reader.varint() }, () => ({ itemId: reader.text(), vector: reader.vector() }));
  if (!reader.done()) throw new KnowledgeFormatError('trailing bytes');
  for (const vector of [base, ...ranges.map((r) => r.vector), ...items.map((i) => i.vector)]) {
    if (vector.length > keyMap.length) throw new KnowledgeFormatError('vector refers to an unknown replica');
  }
  return Knowledge.of(keyMap, base, ranges, items);
}

/** Knowledge as base64 text, for JSON records such as saved conflicts. */
export function knowledgeToBase64(knowledge: Knowledge): string {
  return Buffer.from(encodeKnowledge(knowledge)).toString('base64');
}

/** Inverse of `knowledgeToBase64`. */
export function knowledgeFromBase64(text: string): Knowledge {
  return decodeKnowledge(new Uint8Array(Buffer.from(text, 'base64')));
}
