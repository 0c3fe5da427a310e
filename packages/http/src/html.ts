/**
 * The pages' HTML: escaped text, one layout, one stylesheet served from `/assets/site.css` (the
 * content security policy allows no inline style or script at all). Chinese, with labels on every
 * field, colours always named in words beside their mark, and contrast of at least 4.5:1.
 */

/** Text escaped for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The policy every page is served with. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

/** A whole page; its links are relative to `base`, the prefix the routes are mounted under. */
export function layout(title: string, body: string, base = ''): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<base href="${esc(base)}/">
<link rel="stylesheet" href="assets/site.css">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<main id="main">
<h1>${esc(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** The stage names shown on the pages. */
export const STAGE_NAMES: Readonly<Record<string, string>> = {
  registration: '登记',
  transfer: '转送交办',
  acceptance: '受理',
  handling: '办理',
  hearing: '听证',
  opinion: '处理意见',
  review: '复查',
  reexamination: '复核',
  diversion: '导入其他法定程序',
  'not-accepted': '不予受理',
  terminated: '终结',
  closed: '办结',
  withdrawn: '撤回',
};

export const COLOUR_NAMES: Readonly<Record<string, string>> = { green: '绿', blue: '蓝', red: '红' };

/** The stylesheet. */
export const SITE_CSS = `
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; margin: 0; color: #1a1a1a; background: #fff; line-height: 1.6; }
main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .25rem .5rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #555; padding: .3rem .7rem; text-align: left; }
th { background: #eee; }
.c-green { background: #0b6e2f; color: #fff; }
.c-blue { background: #0b4f9e; color: #fff; }
.c-red { background: #a4161a; color: #fff; }
.tag { display: inline-block; padding: 0 .4rem; border-radius: .2rem; font-weight: bold; }
a { color: #0b4f9e; }
a:focus, button:focus, input:focus, select:focus { outline: 3px solid #d97706; outline-offset: 2px; }
label { display: block; margin-top: .6rem; font-weight: bold; }
input, select, button { font: inherit; padding: .3rem .5rem; }
button { margin-top: .8rem; background: #0b4f9e; color: #fff; border: 0; border-radius: .2rem; cursor: pointer; }
.error { color: #a4161a; font-weight: bold; }
section.case { border-top: 1px solid #999; margin-top: 1.5rem; }
ol.timeline li { margin: .3rem 0; }
table.register { width: 100%; }
table.register caption { text-align: left; font-weight: bold; padding: .3rem 0; }
table.register th { width: 40%; font-weight: normal; }
table.register tr.empty td { color: #555; }
.note { color: #333; font-size: .9rem; }
`;

/** A colour mark with its word. */
export function colourTag(colour: string, label?: string): string {
  return `<span class="tag c-${esc(colour)}">${esc(label ?? COLOUR_NAMES[colour] ?? colour)}</span>`;
}
