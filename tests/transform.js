// Jest transformer: esbuild strips TypeScript and turns ESM (tdesign's miniprogram_dist) into CommonJS.
// Type errors are caught by `tsc -b`, which `npm test` runs first.
const { transformSync } = require('esbuild');
const crypto = require('crypto');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'node18',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update(source).update(filename).update('v1').digest('hex');
  },
};
