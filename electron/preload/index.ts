import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('ponder', Object.freeze({ version: '0.1.0' }));
