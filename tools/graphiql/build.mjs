// Bundles src/main.js into graphiql.js + graphiql.css (minified) for Registry.Api.
// Usage: node build.mjs [outdir]   (default: ../../Registry.Api/wwwroot/graphiql)
import * as esbuild from 'esbuild';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? path.join(here, '../../Registry.Api/wwwroot/graphiql'));

await esbuild.build({
  absWorkingDir: here,
  entryPoints: { graphiql: 'src/main.js' },
  outdir,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  // Keep the bundled packages' licence headers (MIT etc.) at the end of each file.
  legalComments: 'eof',
  // Any fonts/images referenced from CSS are inlined so the output stays two files.
  loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'info',
});

for (const f of ['graphiql.js', 'graphiql.css']) {
  const size = statSync(path.join(outdir, f)).size;
  console.log(`${f}: ${(size / 1024).toFixed(1)} KiB`);
}
