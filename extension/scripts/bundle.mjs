// Bundles the extension into one CommonJS file, so VS Code loads one module instead of
// resolving hundreds (ws, ajv, the contracts) at activation.
//   node scripts/bundle.mjs               development build with a source map
//   node scripts/bundle.mjs --production  minified, for the VSIX
//   node scripts/bundle.mjs --watch       rebuilds on change
import { build, context } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // `vscode` is provided by the host. bufferutil and utf-8-validate are optional speed-ups
  // that ws loads only if present; leaving them out keeps the bundle free of native code.
  external: ['vscode', 'bufferutil', 'utf-8-validate'],
  minify: production,
  sourcemap: production ? false : 'linked',
  metafile: true,
  logLevel: 'warning',
  plugins: [withoutYaml()],
};

/**
 * The contracts package reads schema files with `yaml` in `loadSchemaSet`, which the
 * extension never calls: it validates with the generated SCHEMA_BUNDLE. Replacing `yaml`
 * with a stub that throws drops a third of the bundle; a future caller fails loudly.
 */
function withoutYaml() {
  return {
    name: 'without-yaml',
    setup(b) {
      b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
        contents:
          "const fail = () => { throw new Error('yaml is not bundled into the extension'); };\n" +
          'module.exports = { parse: fail, stringify: fail };',
        loader: 'js',
      }));
    },
  };
}

if (watch) {
  const ctx = await context(options);
  await ctx.watch();
  console.log('watching extension/src');
} else {
  const result = await build(options);
  const bytes = result.metafile.outputs['dist/extension.js']?.bytes ?? 0;
  console.log(`extension bundle: dist/extension.js ${(bytes / 1024).toFixed(0)} KiB`);
}
