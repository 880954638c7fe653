/**
 * A byte-level GGUF builder that is free to lie: counts, lengths, types, offsets and sizes are
 * written exactly as given, so the corpus can state what no honest writer would.
 */
export class RawGguf {
  private readonly parts: Buffer[] = [];

  static header(options: {
    version?: number;
    tensors: bigint | number;
    kvs: bigint | number;
    magic?: string;
  }): RawGguf {
    return new RawGguf()
      .bytes(Buffer.from(options.magic ?? 'GGUF', 'latin1'))
      .u32(options.version ?? 3)
      .u64(options.tensors)
      .u64(options.kvs);
  }

  bytes(data: Uint8Array): this {
    this.parts.push(Buffer.from(data));
    return this;
  }

  u32(value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value >>> 0);
    return this.bytes(buffer);
  }

  u64(value: bigint | number): this {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)));
    return this.bytes(buffer);
  }

  /** A GGUF string: u64 length, then the bytes; `claimedLength` may lie. */
  string(text: string, claimedLength?: bigint | number): this {
    const data = Buffer.from(text, 'utf8');
    return this.u64(claimedLength ?? data.length).bytes(data);
  }

  /** A metadata entry with a string value. */
  kvString(key: string, value: string): this {
    return this.string(key).u32(8).string(value);
  }

  /** A metadata entry with a uint32 value. */
  kvU32(key: string, value: number): this {
    return this.string(key).u32(4).u32(value);
  }

  /** A tensor table entry: name, dims, shape (ggml order), ggml type id, data offset. */
  tensor(
    name: string,
    shape: (bigint | number)[],
    typeId: number,
    offset: bigint | number,
    dims = shape.length,
  ): this {
    this.string(name).u32(dims);
    for (const dim of shape) this.u64(dim);
    return this.u32(typeId).u64(offset);
  }

  /** Zero bytes up to the next multiple of `alignment`, then `size` bytes of tensor data. */
  data(size: number, alignment = 32): this {
    const length = this.length;
    const padding = (alignment - (length % alignment)) % alignment;
    return this.bytes(Buffer.alloc(padding + size));
  }

  get length(): number {
    return this.parts.reduce((sum, part) => sum + part.length, 0);
  }

  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}
