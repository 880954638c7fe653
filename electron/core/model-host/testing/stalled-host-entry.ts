import { connectParent } from '../connect-parent';

// A model process stuck in its load (as llama.cpp can be on a hostile file): it keeps its channel
// open and never answers, so the parent's load timeout is what ends it.
const port = connectParent();
port.onMessage(() => {});
setInterval(() => {}, 60_000);
