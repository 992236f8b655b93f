// Lets plain Node require TypeScript files (local cloud, scripts) by transpiling them with esbuild.
// Type checking is `tsc -b`'s job; this only strips types.
const { transformSync } = require('esbuild');
const fs = require('fs');

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node18',
    sourcemap: 'inline',
    sourcefile: filename,
  });
  module._compile(code, filename);
};
