// Bundles the extension into dist/extension.js. dockerode stays in the bundle but is only
// evaluated on first connect (see src/engine/index.ts).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** ssh2's optional native helpers: left out so the bundle builds without a compiler. */
const nativeOptional = {
  name: 'native-optional',
  setup(build) {
    build.onResolve({ filter: /^cpu-features$|\.node$/ }, (args) => ({ path: args.path, external: true }));
  },
};

async function main() {
  const ctx = await esbuild.context({
    entryPoints: ['src/extension.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [nativeOptional],
  });
  if (watch) {
    await ctx.watch();
    return;
  }
  const result = await ctx.rebuild();
  await ctx.dispose();
  // dockerode's BuildKit and session helpers load .proto files next to the bundle.
  const protoSrc = path.join(path.dirname(require.resolve('dockerode/package.json')), 'lib', 'proto');
  if (fs.existsSync(protoSrc)) fs.cpSync(protoSrc, 'dist/proto', { recursive: true });
  const bytes = fs.statSync('dist/extension.js').size;
  console.log(`dist/extension.js ${(bytes / 1024).toFixed(0)} KiB${production ? ' (minified)' : ''}`);
  fs.writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
