import { connectParent } from '../connect-parent';

// A model process taken over by a hostile file: it answers the load with a message outside the
// protocol (an oversized, wrongly typed `loaded`), as code running inside it could.
const port = connectParent();
port.onMessage(() => {
  (port.post as (message: unknown) => void)({
    type: 'loaded',
    info: { modelPath: 'x'.repeat(10_000), gpu: 7 },
  });
});
setInterval(() => {}, 60_000);
