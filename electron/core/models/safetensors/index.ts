export { readSafetensorsHeader, MAX_SAFETENSORS_HEADER_BYTES } from './read-safetensors-header';
export { readTensorValues } from './read-tensor-values';
export { writeSafetensors } from './write-safetensors';
export type { SafetensorsInput } from './write-safetensors';
export { decodeFloats, encodeFloats, fromBFloat16Bits, toBFloat16Bits } from './float-codecs';
export { SAFETENSORS_FLOAT_TYPES } from './safetensors-types';
export type {
  SafetensorsFloatType,
  SafetensorsHeader,
  SafetensorsTensor,
} from './safetensors-types';
