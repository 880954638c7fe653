/**
 * A SearXNG-compatible server with a few pages about tides, for trying Search mode by hand:
 *
 *   npx tsx electron/core/rag/testing/serve-searxng-demo.ts [--port 8888]
 *   npx ponder ask --mode search --search-provider searxng --searxng-url http://127.0.0.1:8888 "how do tides work"
 *
 * Its pages live on 127.0.0.1, so they are read only with --allow-private-host 127.0.0.1:PORT;
 * without it the SSRF guard refuses them and the search snippets stand in.
 */
import { parseArgs } from 'node:util';
import { injectionPage } from './injection-pages';
import { startSearxngServer } from './searxng-server';

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const page = (title: string, text: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${text}</p></article></body></html>`;

const server = await startSearxngServer(
  [
    {
      title: 'Tides and the moon',
      snippet: 'Tides are caused mainly by the gravitational pull of the moon on the oceans.',
      html: page(
        'Tides and the moon',
        'The moon pulls the oceans toward it, raising a bulge of water; the earth turning under two bulges gives two high tides a day.',
      ),
    },
    {
      title: 'Spring and neap tides',
      snippet: 'Spring tides happen at new and full moon; neap tides at the quarter moons.',
      html: page(
        'Spring and neap tides',
        'When the sun and the moon line up their pulls add up and tides are largest: spring tides. At the quarter moons they partly cancel: neap tides.',
      ),
    },
    {
      title: 'Tides explained (with hidden instructions)',
      snippet: 'How tides work: the moon and the sun.',
      html: injectionPage(),
    },
    {
      title: 'Tidal range',
      snippet: 'The Bay of Fundy has the largest tidal range in the world, over 16 metres.',
      html: page(
        'Tidal range',
        'Tidal range is the height difference between high and low tide. The Bay of Fundy reaches more than 16 metres.',
      ),
    },
    { title: 'Moon facts', snippet: 'The moon is about 384,400 km from the earth.' },
  ],
  Number(values.port ?? 0),
);
console.log(`SearXNG-compatible server: ${server.origin}`);
console.log(
  `Try: npx ponder ask --mode search --search-provider searxng --searxng-url ${server.origin} "how do tides work"`,
);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
