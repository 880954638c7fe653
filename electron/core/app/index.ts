export { createPonderCore, PONDER_VERSION } from './create-ponder-core';
export type { AskToRecover, CreatePonderCoreOptions, DamagedDatabase } from './create-ponder-core';
export { EngineSlot, engineOptionsFrom } from './engine-slot';
export type { EngineFactory } from './engine-slot';
export type { PonderCore, PonderCoreOptions } from './ponder-core-types';
