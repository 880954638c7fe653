import { createEngine } from '../llm';
import { startLlamaEarly } from '../llm/load-llama';
import { connectParent } from './connect-parent';
import { runModelHost } from './run-model-host';

// The model process: one Engine served to the parent that started it (an Electron utility process
// or a Node child process). A native crash in llama.cpp ends only this process.
runModelHost(connectParent(), createEngine);
// Until the parent says which model to load there is nothing to do: start llama.cpp meanwhile.
startLlamaEarly();
