import type { FileHandle } from 'node:fs/promises';

const CHUNK = 1 << 20;

/** Thrown when a read would pass the end of the file; the header parser turns it into an error. */
export class EndOfFile extends Error {
  constructor(
    readonly position: number,
    readonly wanted: number,
  ) {
    super(`end of file at ${position}`);
  }
}

/**
 * Sequential little-endian reads from the start of a file, in 1 MiB chunks, never past its end.
 * Only the header region is ever read, so a multi-gigabyte model costs a few megabytes of I/O.
 */
export class HeaderReader {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;
  private cursor = 0;

  constructor(
    private readonly file: FileHandle,
    readonly fileSize: number,
  ) {}

  get position(): number {
    return this.bufferStart + this.cursor;
  }

  get remaining(): number {
    return this.fileSize - this.position;
  }

  /** Bytes readable without touching the file. */
  get buffered(): number {
    return this.buffer.length - this.cursor;
  }

  /** Makes `bytes` readable synchronously (the *Sync methods); throws EndOfFile past the end. */
  async ensure(bytes: number): Promise<void> {
    if (this.cursor + bytes <= this.buffer.length) return;
    if (bytes > this.remaining) throw new EndOfFile(this.position, bytes);
    const keep = this.buffer.subarray(this.cursor);
    const want = Math.min(Math.max(CHUNK, bytes), this.remaining);
    const next = Buffer.alloc(want);
    keep.copy(next);
    const { bytesRead } = await this.file.read(
      next,
      keep.length,
      want - keep.length,
      this.position + keep.length,
    );
    if (keep.length + bytesRead < bytes) throw new EndOfFile(this.position, bytes);
    this.bufferStart = this.position;
    this.buffer = next.subarray(0, keep.length + bytesRead);
    this.cursor = 0;
  }

  /**
   * A u64 length or count as a number, or -1 when above 2^53; the caller has ensured 8 bytes.
   * Avoids BigInt on the hot path of vocabulary arrays (hundreds of thousands of strings).
   */
  lengthSync(): number {
    const length = this.peekLength();
    this.cursor += 8;
    return length;
  }

  /** lengthSync without moving on. */
  peekLength(): number {
    const low = this.buffer.readUInt32LE(this.cursor);
    const high = this.buffer.readUInt32LE(this.cursor + 4);
    return high >= 0x200000 ? -1 : high * 0x100000000 + low;
  }

  /** `count` bytes the caller has ensured. */
  bytesSync(count: number): Buffer {
    const slice = this.buffer.subarray(this.cursor, this.cursor + count);
    this.cursor += count;
    return slice;
  }

  async bytes(count: number): Promise<Buffer> {
    await this.ensure(count);
    const slice = this.buffer.subarray(this.cursor, this.cursor + count);
    this.cursor += count;
    return slice;
  }

  async u8(): Promise<number> {
    await this.ensure(1);
    return this.buffer.readUInt8(this.cursor++);
  }

  async i8(): Promise<number> {
    await this.ensure(1);
    return this.buffer.readInt8(this.cursor++);
  }

  async u16(): Promise<number> {
    await this.ensure(2);
    const value = this.buffer.readUInt16LE(this.cursor);
    this.cursor += 2;
    return value;
  }

  async i16(): Promise<number> {
    await this.ensure(2);
    const value = this.buffer.readInt16LE(this.cursor);
    this.cursor += 2;
    return value;
  }

  async u32(): Promise<number> {
    await this.ensure(4);
    const value = this.buffer.readUInt32LE(this.cursor);
    this.cursor += 4;
    return value;
  }

  async i32(): Promise<number> {
    await this.ensure(4);
    const value = this.buffer.readInt32LE(this.cursor);
    this.cursor += 4;
    return value;
  }

  async f32(): Promise<number> {
    await this.ensure(4);
    const value = this.buffer.readFloatLE(this.cursor);
    this.cursor += 4;
    return value;
  }

  async f64(): Promise<number> {
    await this.ensure(8);
    const value = this.buffer.readDoubleLE(this.cursor);
    this.cursor += 8;
    return value;
  }

  async u64(): Promise<bigint> {
    await this.ensure(8);
    const value = this.buffer.readBigUInt64LE(this.cursor);
    this.cursor += 8;
    return value;
  }

  async i64(): Promise<bigint> {
    await this.ensure(8);
    const value = this.buffer.readBigInt64LE(this.cursor);
    this.cursor += 8;
    return value;
  }
}
