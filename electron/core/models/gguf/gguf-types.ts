/** GGUF metadata value types, by the names the GGUF spec gives them. */
export const GGUF_VALUE_TYPES = [
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'float32',
  'bool',
  'string',
  'array',
  'uint64',
  'int64',
  'float64',
] as const;

export type GgufValueType = (typeof GGUF_VALUE_TYPES)[number];

/** Numeric id of a value type in the file (its index in GGUF_VALUE_TYPES). */
export function ggufValueTypeId(type: GgufValueType): number {
  return GGUF_VALUE_TYPES.indexOf(type);
}

/** Bytes one value of a fixed-size type takes; strings and arrays are variable. */
export const GGUF_FIXED_SIZES: Partial<Record<GgufValueType, number>> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  bool: 1,
  uint64: 8,
  int64: 8,
  float64: 8,
};

/**
 * One metadata value. 64-bit integers are `bigint` so no file value is rounded; every other
 * number is a `number`.
 */
export type GgufValue = number | bigint | boolean | string | GgufArray;

export interface GgufArray {
  itemType: GgufValueType;
  items: GgufValue[];
}

/** A typed metadata entry: the type it has (or gets) in the file and its value. */
export interface GgufKv {
  type: GgufValueType;
  value: GgufValue;
}

/** Metadata in file order, keyed by name (e.g. `general.architecture`). */
export type GgufMetadata = Record<string, GgufKv>;

export interface GgufTensorInfo {
  name: string;
  /** ggml type name, e.g. `F32`, `Q4_K`. */
  type: string;
  typeId: number;
  /** ggml order: shape[0] is the row length (ne[0]). */
  shape: number[];
  /** Offset of the data from the start of the file. */
  fileOffset: number;
  byteSize: number;
}

/** Everything in a GGUF file before the tensor data, validated against the file's size. */
export interface GgufHeader {
  path: string;
  fileSize: number;
  version: number;
  metadata: GgufMetadata;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Where the tensor data section starts. */
  dataOffset: number;
}
