import { connectParent } from '../connect-parent';

// A model process that dies as soon as it is asked to load, as a native crash in the GGUF parser would.
const port = connectParent();
port.onMessage(() => process.kill(process.pid, 'SIGSEGV'));
