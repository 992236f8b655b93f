// WeChat DevTools' view of the repository: the cloud-function root is the build output (what
// 上传并部署 uploads), 构建 npm reads a package.json that lists only what the mini-program uses,
// and the env id / appid come from .env through generated files.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { buildFunction } from '../../scripts/build';
import { miniprogramEnvSource, writeConfig } from '../../scripts/config';
import { FUNCTION_ROOT, functionFolders } from '../../scripts/deploy/plan';
import { importedPackages } from '../../scripts/miniprogram-deps';

const ROOT = path.resolve(__dirname, '../..');
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

interface ProjectConfig {
  appid: string;
  miniprogramRoot: string;
  cloudfunctionRoot: string;
  setting: { packNpmManually: boolean; packNpmRelationList: { packageJsonPath: string; miniprogramNpmDistDir: string }[] };
  packOptions: { ignore: { type: string; value: string }[] };
}
const project = readJson<ProjectConfig>(path.join(ROOT, 'project.config.json'));
const folders = functionFolders(path.join(ROOT, 'cloudfunctions'));

describe('cloud functions in DevTools', () => {
  test('cloudfunctionRoot is the build output, never the TypeScript sources', () => {
    expect(project.cloudfunctionRoot.replace(/\/$/, '')).toBe(FUNCTION_ROOT);
    expect(project.cloudfunctionRoot).not.toMatch(/^(\.\/)?cloudfunctions/);
    expect(project.miniprogramRoot).toBe('miniprogram/');
  });

  test('after a build, every function folder there has index.js, package.json and config.json, and no common/', async () => {
    for (const name of folders) await buildFunction(name);
    const out = path.join(ROOT, project.cloudfunctionRoot);
    const built = fs.readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory());
    expect(built.map((d) => d.name)).not.toContain('common');
    for (const name of folders) {
      const dir = path.join(out, name);
      expect(fs.readdirSync(dir).sort()).toEqual(['config.json', 'index.js', 'package.json']);
      // The config DevTools reads (permissions.openapi, triggers) is the source's, unchanged.
      expect(readJson(path.join(dir, 'config.json'))).toEqual(readJson(path.join(ROOT, 'cloudfunctions', name, 'config.json')));
      // Bundled: no import of the shared TypeScript is left for the platform to resolve.
      expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).not.toMatch(/require\(["']\.\.\/common/);
    }
  }, 60000);
});

describe('npm in DevTools', () => {
  const mpPkg = readJson<{ dependencies: Record<string, string> }>(path.join(ROOT, 'miniprogram/package.json'));

  test('构建 npm reads miniprogram/package.json into miniprogram/', () => {
    expect(project.setting.packNpmManually).toBe(true);
    expect(project.setting.packNpmRelationList).toEqual([
      { packageJsonPath: './miniprogram/package.json', miniprogramNpmDistDir: './miniprogram/' },
    ]);
  });

  test("miniprogram/package.json's dependencies are exactly the packages the mini-program imports", () => {
    const imported = [...importedPackages(path.join(ROOT, 'miniprogram'))].sort();
    expect(imported).toContain('tdesign-miniprogram');
    expect(Object.keys(mpPkg.dependencies).sort()).toEqual(imported);
    // Server packages never reach it.
    for (const server of ['@cloudbase/node-sdk', '@cloudbase/manager-node', '@seald-io/nedb', 'zod', 'wx-server-sdk'])
      expect(mpPkg.dependencies).not.toHaveProperty(server);
  });

  test('the scanner finds npm components in usingComponents and bare imports, not relative ones or import type', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-deps-'));
    fs.mkdirSync(path.join(dir, 'pages'));
    fs.writeFileSync(
      path.join(dir, 'pages/a.json'),
      JSON.stringify({ usingComponents: { 'x-a': '@scope/ui/a/a', 'x-b': '/components/b', 'x-c': '../c' } }),
    );
    fs.writeFileSync(
      path.join(dir, 'pages/a.ts'),
      "import type { T } from 'zod';\nimport dayjs from 'dayjs/esm';\nimport { x } from './x';\n",
    );
    expect([...importedPackages(dir)].sort()).toEqual(['@scope/ui', 'dayjs']);
  });

  test('the versions match the root package.json (npm run build:npm and the size check read the root node_modules)', () => {
    const rootPkg = readJson<{ dependencies: Record<string, string> }>(path.join(ROOT, 'package.json'));
    for (const [name, version] of Object.entries(mpPkg.dependencies)) expect(rootPkg.dependencies[name]).toBe(version);
  });

  test('packOptions no longer needs to hide server packages', () => {
    for (const rule of project.packOptions.ignore) expect(rule.value).not.toMatch(/miniprogram_npm\/(@cloudbase|@seald-io|zod)/);
  });
});

describe('env id and appid from .env', () => {
  test('miniprogram/env.ts is committed empty and config.ts reads it', () => {
    const source = fs.readFileSync(path.join(ROOT, 'miniprogram/env.ts'), 'utf8');
    expect(source).toBe(miniprogramEnvSource(undefined));
    expect(fs.readFileSync(path.join(ROOT, 'miniprogram/config.ts'), 'utf8')).toMatch(/cloudEnv: CLOUD_ENV \|\| undefined/);
    expect(() => miniprogramEnvSource("x'; alert(1); '")).toThrow(/not a CloudBase environment id/);
  });

  test('writeConfig puts ENV_ID into env.ts and WX_APPID into project.private.config.json, keeping its other fields', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-'));
    fs.cpSync(path.join(ROOT, 'cloudfunctions'), path.join(dir, 'cloudfunctions'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'miniprogram'));
    fs.writeFileSync(path.join(dir, 'project.private.config.json'), JSON.stringify({ setting: { urlCheck: false } }));
    const written = writeConfig(dir, { ENV_ID: 'linli-dev-7x', WX_APPID: 'wx0123456789abcdef' });
    expect(written.sort()).toEqual(['cloudbaserc.json', 'miniprogram/env.ts', 'project.private.config.json']);
    expect(fs.readFileSync(path.join(dir, 'miniprogram/env.ts'), 'utf8')).toContain("export const CLOUD_ENV = 'linli-dev-7x';");
    expect(readJson(path.join(dir, 'project.private.config.json'))).toEqual({
      setting: { urlCheck: false },
      appid: 'wx0123456789abcdef',
    });
    expect(writeConfig(dir, { ENV_ID: 'linli-dev-7x', WX_APPID: 'wx0123456789abcdef' })).toEqual([]);
  });
});
