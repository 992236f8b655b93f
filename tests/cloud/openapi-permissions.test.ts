// 云调用 works only for the APIs a function declares in its config.json `permissions.openapi`
// (WeChat answers -604101 otherwise). Each function is bundled as it is deployed, and the APIs its
// bundle can call must be exactly the ones it declares; every bundle that loads wx-server-sdk
// lists it in its package.json, so the platform installs it.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { buildFunction, functionNames } from '../../scripts/build';

const SRC = path.resolve(__dirname, '../../cloudfunctions');
/** The open APIs the code may call, as permissions.openapi names them. */
const KNOWN = ['security.msgSecCheck', 'security.imgSecCheck', 'subscribeMessage.send', 'wxacode.getUnlimited'];

let out: string;
beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'fn-build-'));
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test.each(functionNames())(
  '%s declares exactly the open APIs its bundle calls',
  async (name) => {
    await buildFunction(name, out);
    const bundle = fs.readFileSync(path.join(out, name, 'index.js'), 'utf8');
    const config = JSON.parse(fs.readFileSync(path.join(SRC, name, 'config.json'), 'utf8')) as {
      permissions?: { openapi?: string[] };
    };
    const pkg = JSON.parse(fs.readFileSync(path.join(SRC, name, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const used = KNOWN.filter((api) => bundle.includes(`.${api}(`) || bundle.includes(`.${api.split('.')[1]}(`));
    expect([...(config.permissions?.openapi ?? [])].sort()).toEqual(used.sort());
    if (bundle.includes('require("wx-server-sdk")')) expect(pkg.dependencies['wx-server-sdk']).toBeDefined();
    // The local stand-in's word list never ships.
    expect(bundle).not.toContain('赌博');
  },
  30000,
);
