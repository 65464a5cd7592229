// Copies the pinned Sveltia CMS and the three fonts it uses into static/admin/,
// so /admin loads nothing from another origin. The upstream bundle fetches its
// fonts from a CDN; we point those URLs at our own copies. Run: npm ci && npm run vendor
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const out = join(here, '..', '..', 'static', 'admin');
const pkg = (name) => JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8'));

// CDN URL in the bundle → the same font file from its npm package.
const fonts = [
  ['https://cdn.jsdelivr.net/fontsource/fonts/source-sans-3:vf@5.3.0/latin-wght-normal.woff2',
    '@fontsource-variable/source-sans-3', 'source-sans-3-latin-wght-normal.woff2'],
  ['https://cdn.jsdelivr.net/fontsource/fonts/noto-mono@5.3.0/latin-400-normal.woff2',
    '@fontsource/noto-mono', 'noto-mono-latin-400-normal.woff2'],
  ['https://cdn.jsdelivr.net/fontsource/fonts/material-symbols-outlined:vf@5.3.7/latin-wght-normal.woff2',
    '@fontsource-variable/material-symbols-outlined', 'material-symbols-outlined-latin-wght-normal.woff2'],
];

let js = readFileSync(join(modules, '@sveltia/cms/dist/sveltia-cms.js'), 'utf8');
mkdirSync(join(out, 'fonts'), { recursive: true });
const sums = [];
const sha = (b) => createHash('sha256').update(b).digest('hex');
for (const [url, name, file] of fonts) {
  if (!js.includes(url)) {
    throw new Error(`the bundle no longer loads ${url}: check which fonts this Sveltia version uses`);
  }
  js = js.replaceAll(url, `/admin/fonts/${file}`);
  copyFileSync(join(modules, name, 'files', file), join(out, 'fonts', file));
  sums.push(`${sha(readFileSync(join(out, 'fonts', file)))}  fonts/${file}  ${name}@${pkg(name).version}`);
}
if (js.includes('cdn.jsdelivr.net/fontsource')) {
  throw new Error('the bundle loads a font we do not vendor');
}
// No source map is shipped; drop the comment so browsers do not ask for it.
js = js.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
writeFileSync(join(out, 'sveltia-cms.js'), js);
sums.unshift(`${sha(js)}  sveltia-cms.js  @sveltia/cms@${pkg('@sveltia/cms').version}`);

const licences = ['@sveltia/cms/LICENSE.txt', ...fonts.map(([, name]) => `${name}/LICENSE`)]
  .map((f) => `==== ${f.split('/').slice(0, -1).join('/')} ====\n\n${readFileSync(join(modules, f), 'utf8')}`);
writeFileSync(join(out, 'LICENSES.txt'), licences.join('\n\n'));
writeFileSync(join(out, 'VENDORED.txt'),
  '# Written by tools/cms/vendor.mjs; checked by internal/check tests. Do not edit by hand.\n'
  + sums.join('\n') + '\n');
console.log(sums.join('\n'));
