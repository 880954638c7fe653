/**
 * A minimal ONNX ModelProto encoder: just the fields a small inference graph needs (nodes, float and
 * int64 initializers, typed inputs and outputs). Field numbers follow onnx/onnx.proto.
 */

export const ONNX_FLOAT = 1;
export const ONNX_UINT8 = 2;
export const ONNX_INT64 = 7;

export type OnnxAttribute =
  | { name: string; int: number }
  | { name: string; float: number }
  | { name: string; ints: number[] };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: OnnxAttribute[];
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** Float32Array for FLOAT, BigInt64Array for INT64, Uint8Array for UINT8 tensors. */
  data: Float32Array | BigInt64Array | Uint8Array;
}

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** A number is a fixed size; a string is a symbolic dimension such as `batch`. */
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  opset?: number;
}

class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: bigint): void {
    // Negative int64 values are encoded as their two's complement (10 bytes), as protobuf does.
    let v = BigInt.asUintN(64, value);
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  int(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(BigInt(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

function writeAttribute(w: ProtoWriter, attr: OnnxAttribute): void {
  w.string(1, attr.name);
  if ('int' in attr) w.int(3, attr.int).int(20, 2);
  else if ('float' in attr) w.float(2, attr.float).int(20, 1);
  else {
    for (const v of attr.ints) w.int(8, v);
    w.int(20, 7);
  }
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, info.elemType);
      tensor.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}

function writeInitializer(w: ProtoWriter, init: OnnxInitializer): void {
  for (const d of init.dims) w.int(1, d);
  w.int(
    2,
    init.data instanceof Float32Array
      ? ONNX_FLOAT
      : init.data instanceof Uint8Array
        ? ONNX_UINT8
        : ONNX_INT64,
  );
  w.string(8, init.name);
  // raw_data is little-endian, which is what typed arrays hold on every platform Node supports.
  w.bytes(9, new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength));
}

/** Encodes a graph as an ONNX model file (IR version 8). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8);
  w.string(2, 'ponder');
  w.message(7, (g) => {
    graph.nodes.forEach((node, i) => {
      g.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        n.string(3, node.name ?? `${node.op}_${i}`);
        n.string(4, node.op);
        for (const attr of node.attributes ?? []) n.message(5, (a) => writeAttribute(a, attr));
      });
    });
    g.string(2, graph.name);
    for (const init of graph.initializers) g.message(5, (t) => writeInitializer(t, init));
    for (const input of graph.inputs) g.message(11, (v) => writeValueInfo(v, input));
    for (const output of graph.outputs) g.message(12, (v) => writeValueInfo(v, output));
  });
  w.message(8, (op) => op.string(1, '').int(2, graph.opset ?? 17));
  return w.finish();
}
