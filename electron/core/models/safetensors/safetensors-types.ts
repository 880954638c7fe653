/** The element types Ponder reads from a safetensors file: what LoRA trainers save. */
export const SAFETENSORS_FLOAT_TYPES = { F32: 4, F16: 2, BF16: 2 } as const;

export type SafetensorsFloatType = keyof typeof SAFETENSORS_FLOAT_TYPES;

export interface SafetensorsTensor {
  name: string;
  dtype: SafetensorsFloatType;
  /** PyTorch order: shape[0] is the outermost dimension (rows). */
  shape: number[];
  /** Absolute byte offset of the first element in the file. */
  start: number;
  byteLength: number;
}

export interface SafetensorsHeader {
  path: string;
  fileSize: number;
  /** Byte offset where tensor data begins (8 + header length). */
  dataStart: number;
  tensors: SafetensorsTensor[];
  /** The optional `__metadata__` string map (PEFT writes `{"format": "pt"}`). */
  metadata: Record<string, string>;
}
