/**
 * Ways to name this machine (or another private host) in a URL that a naive "is it 127.0.0.1?"
 * check misses: numeric forms the URL parser folds, IPv4 mapped into IPv6, trailing dots, names
 * that resolve to loopback. `PORT` is replaced by the port under test.
 */
export const LOOPBACK_URL_HOSTS: readonly string[] = [
  '127.0.0.1:PORT',
  '127.1:PORT',
  '0x7f.1:PORT',
  '0x7f000001:PORT',
  '2130706433:PORT',
  '0177.0.0.1:PORT',
  '017700000001:PORT',
  '127.000.000.001:PORT',
  '0.0.0.0:PORT',
  '0:PORT',
  '[::1]:PORT',
  '[::]:PORT',
  '[0:0:0:0:0:0:0:1]:PORT',
  '[::ffff:127.0.0.1]:PORT',
  '[::ffff:7f00:1]:PORT',
  '[0:0:0:0:0:ffff:7f00:1]:PORT',
  'localhost:PORT',
  'LOCALHOST:PORT',
  'localhost.:PORT',
  'ip6-localhost:PORT',
  '%6c%6f%63%61%6c%68%6f%73%74:PORT',
];

/** Host headers a DNS-rebinding page could send to a server on 127.0.0.1 (all must be refused). */
export const REBINDING_HOST_HEADERS: readonly string[] = [
  'evil.example:PORT',
  '127.0.0.1.evil.example:PORT',
  'localhost.evil.example:PORT',
  '127.0.0.1:PORT@evil.example',
  'evil.example#@127.0.0.1:PORT',
  '127.0.0.1:PORT evil.example',
  '127.0.0.1:PORT,evil.example',
  '127.0.0.1:PORT/evil',
  '127.0.0.1:PORT\\evil',
  '0x7f.1:PORT',
  '2130706433:PORT',
  '127.1:PORT',
  '[::ffff:127.0.0.1]:PORT',
  '127.0.0.1:0PORT',
  '127.0.0.1:PORT0',
  '127.0.0.1:+PORT',
  'localhost.:PORT',
  '127.0.0.1.:PORT',
  '127.0.0.1',
  'localhost',
];
