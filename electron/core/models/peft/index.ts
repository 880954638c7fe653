export { importPeftAdapter } from './import-peft-adapter';
export type { ImportPeftOptions, ImportPeftResult } from './import-peft-adapter';
export { parsePeftConfig, SUPPORTED_MODULES } from './peft-config';
export type { PeftLoraConfig } from './peft-config';
export { mapPeftName } from './map-peft-name';
export { foldFactor, ggufAlpha, moduleScale, patternKey } from './lora-scale';
export { IMPORTABLE_ARCHITECTURES } from './check-against-base';
export { readBaseTensors } from './read-base-tensors';
export { importAndCheckAdapter } from './import-and-check';
