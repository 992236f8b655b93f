// npm run deploy: the plan (pure: files + settings), the executor against a fake manager, and the
// CLI's --dry-run in a child process with the network refused. Nothing here goes online.
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type CloudBase from '@cloudbase/manager-node';
import { cloudbaserc } from '../../scripts/config';
import { executePlan, type ManagerLike } from '../../scripts/deploy/execute';
import { buildPlan, formatPlan, readProject, type DatabaseJson, type DeployPlan } from '../../scripts/deploy/plan';
import { FUNCTION_ENV_NAMES, LOCAL_ONLY_ENV, ONE_FUNCTION_ENV, SETTINGS, loadEnv, parseDotenv } from '../../scripts/deploy/settings';

const ROOT = path.resolve(__dirname, '../..');
const FUNCTIONS_DIR = path.join(ROOT, 'cloudfunctions');
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** The function folders as the file system has them (not the plan's own listing). */
const folders = fs
  .readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'common' && fs.existsSync(path.join(FUNCTIONS_DIR, d.name, 'index.ts')))
  .map((d) => d.name)
  .sort();
const database = readJson<DatabaseJson>(path.join(FUNCTIONS_DIR, 'database.json'));
const configOf = (fn: string) =>
  readJson<{ timeout?: number; memorySize?: number; triggers?: unknown[] }>(path.join(FUNCTIONS_DIR, fn, 'config.json'));

const SECRET_ID = 'AKIDtestSecretId0000000000000000';
const SECRET_KEY = 'testSecretKeyValue0000000000000';
const TEMPLATES = '{"order":"tplOrder_1","parking":"tplParking_2","notice":"tplNotice_3","member":"tplMember_4"}';
const FULL_ENV = {
  ENV_ID: 'linli-prod-1a2b3c',
  TENCENTCLOUD_SECRETID: SECRET_ID,
  TENCENTCLOUD_SECRETKEY: SECRET_KEY,
  WX_SUBSCRIBE_TEMPLATES: TEMPLATES,
  WX_MINIPROGRAM_STATE: 'trial',
  DESK_LOGIN_KEY: '{"private_key_id":"k1","private_key":"-----BEGIN PRIVATE KEY-----secret-----END PRIVATE KEY-----","env_id":"linli-prod-1a2b3c"}',
  CONSOLE_DOMAINS: 'linli-prod-1a2b3c.tcloudbaseapp.com, desk.example.org',
};

const fullPlan = () => buildPlan(readProject(ROOT), FULL_ENV);
/** The variables a function gets: the shared ones, and its own (DESK_LOGIN_KEY on desk). */
const envNamesOf = (fn: string) =>
  [...FUNCTION_ENV_NAMES, ...Object.keys(ONE_FUNCTION_ENV).filter((n) => ONE_FUNCTION_ENV[n] === fn)].sort();

describe('the plan', () => {
  test('lists every function folder with runtime, timeout and memory from its config.json', () => {
    const plan = fullPlan();
    expect(folders.length).toBeGreaterThanOrEqual(6);
    expect(plan.functions.map((f) => f.name)).toEqual(folders);
    for (const f of plan.functions) {
      const config = configOf(f.name);
      expect(f.timeout).toBe(config.timeout);
      expect(f.memorySize).toBe(config.memorySize);
      expect(f.runtime).toMatch(/^Nodejs\d/);
      expect(f.handler).toBe('index.main');
      expect(f.installDependency).toBe(true);
    }
  });

  test('the timer function carries its trigger `sweep` from config.json, and nothing else has one', () => {
    const plan = fullPlan();
    const timer = plan.functions.find((f) => f.name === 'timer')!;
    expect(timer.triggers).toEqual([{ name: 'sweep', type: 'timer', config: '0 */5 * * * * *' }]);
    expect(timer.triggers).toEqual(configOf('timer').triggers);
    for (const f of plan.functions.filter((fn) => fn.name !== 'timer'))
      expect(f.triggers).toEqual(configOf(f.name).triggers ?? []);
  });

  test('cloudbaserc.json is what config.json says (npm run config regenerates it)', () => {
    const committed = readJson<Record<string, unknown>>(path.join(ROOT, 'cloudbaserc.json'));
    // A failure here means a config.json changed without `npm run config`.
    expect(committed).toEqual(cloudbaserc(ROOT));
    expect(JSON.stringify(committed)).not.toContain('every5min');
    expect(committed.envId).toBe('{{env.ENV_ID}}');
  });

  test('every collection and every index of database.json, fields in order, and the rule', () => {
    const plan = fullPlan();
    expect(plan.collections.map((c) => c.name)).toEqual(database.collections.map((c) => c.name));
    for (const c of database.collections) {
      const planned = plan.collections.find((p) => p.name === c.name)!;
      expect(planned.indexes.map((i) => i.name)).toEqual((c.indexes ?? []).map((i) => i.name));
      for (const index of c.indexes ?? []) {
        const p = planned.indexes.find((i) => i.name === index.name)!;
        expect(p.keys.map((k) => [k.field, k.direction])).toEqual(Object.entries(index.keys));
        expect(p.unique).toBe(index.unique === true);
      }
    }
    expect(JSON.parse(plan.securityRule.rule)).toEqual(database.securityRule);
    expect(plan.securityRule.rule).toBe('{"read":false,"write":false}');
  });

  test('functions get the settings meant for them, never the API keys', () => {
    const plan = fullPlan();
    for (const f of plan.functions) {
      expect(Object.keys(f.envVariables).sort()).toEqual(envNamesOf(f.name));
      expect(f.envVariables.WX_SUBSCRIBE_TEMPLATES).toBe(TEMPLATES);
      expect(f.envVariables).not.toHaveProperty('TENCENTCLOUD_SECRETID');
      expect(f.envVariables).not.toHaveProperty('TENCENTCLOUD_SECRETKEY');
      expect(f.envVariables).not.toHaveProperty('TCB_SERVICE_URL');
    }
    expect(plan.missing).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  test('every process.env the functions read is deployed or declared local-only', () => {
    const read = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.name.endsWith('.ts'))
          for (const m of fs.readFileSync(full, 'utf8').matchAll(/process\.env(?:\.([A-Z0-9_]+)|\[['"]([A-Z0-9_]+)['"]\])/g))
            read.add(m[1] ?? m[2]);
      }
    };
    walk(FUNCTIONS_DIR);
    expect(read.size).toBeGreaterThan(0);
    for (const name of read)
      expect([...FUNCTION_ENV_NAMES, ...Object.keys(ONE_FUNCTION_ENV), ...Object.keys(LOCAL_ONLY_ENV)]).toContain(name);
  });

  test('the printed plan names variables but never prints their values or the keys', () => {
    const text = formatPlan(fullPlan());
    expect(text).toContain('WX_SUBSCRIBE_TEMPLATES');
    expect(text).toContain('linli-prod-1a2b3c');
    for (const secret of [SECRET_ID, SECRET_KEY, 'tplOrder_1', TEMPLATES]) expect(text).not.toContain(secret);
  });

  test('without ENV_ID or keys the plan still forms, marked missing; bad settings are refused', () => {
    const plan = buildPlan(readProject(ROOT), {});
    expect(plan.envId).toBeUndefined();
    expect(plan.missing).toEqual(['ENV_ID', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY']);
    expect(plan.functions).toHaveLength(folders.length);
    expect(formatPlan(plan)).toContain('(missing: set ENV_ID in .env)');
    expect(plan.warnings.join(' ')).toMatch(/WX_SUBSCRIBE_TEMPLATES is not set/);
    expect(() => buildPlan(readProject(ROOT), { WX_SUBSCRIBE_TEMPLATES: '{order:' })).toThrow(/not valid JSON/);
    expect(() => buildPlan(readProject(ROOT), { WX_MINIPROGRAM_STATE: 'prod' })).toThrow(/developer, trial or formal/);
    const partial = buildPlan(readProject(ROOT), { WX_SUBSCRIBE_TEMPLATES: '{"order":"a1","parking":""}' });
    expect(partial.warnings.join(' ')).toContain('parking, notice, member');
  });

  test('a malformed trigger or index in the files is refused', () => {
    const files = readProject(ROOT);
    const badCron = {
      ...files,
      functions: [{ name: 'timer', config: { triggers: [{ name: 'sweep', type: 'timer', config: '*/5 * * * *' }] } }],
    };
    expect(() => buildPlan(badCron, {})).toThrow(/7 fields/);
    const badIndex = {
      ...files,
      database: { ...files.database, collections: [{ name: 'x', indexes: [{ name: 'i', keys: { a: 2 as 1 } }] }] },
    };
    expect(() => buildPlan(badIndex, {})).toThrow(/must be 1 or -1/);
  });
});

describe('settings', () => {
  test('.env is parsed with quotes and comments; the shell wins over the file', () => {
    expect(parseDotenv('# c\nA=1\nexport B="two words" \nC=\'x#y\'\nD=v # note\n')).toEqual({
      A: '1',
      B: 'two words',
      C: 'x#y',
      D: 'v',
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-env-'));
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, 'ENV_ID=from-file\nWX_MINIPROGRAM_STATE=trial\n');
    const env = loadEnv(file, { ENV_ID: 'from-shell' });
    expect(env.ENV_ID).toBe('from-shell');
    expect(env.WX_MINIPROGRAM_STATE).toBe('trial');
    expect(loadEnv(path.join(dir, 'absent'), {}).ENV_ID).toBeUndefined();
  });

  test('.env.example lists every setting with a Chinese and an English comment; .env is git-ignored', () => {
    const lines = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8').split('\n');
    for (const { name } of SETTINGS) {
      const at = lines.findIndex((l) => l.startsWith(`${name}=`));
      expect(at).toBeGreaterThan(0);
      const comments: string[] = [];
      for (let i = at - 1; i >= 0 && lines[i].startsWith('#'); i--) comments.push(lines[i]);
      expect(comments.some((c) => /[\u4e00-\u9fff]/.test(c))).toBe(true);
      expect(comments.some((c) => /^# [A-Za-z]/.test(c) && !/[\u4e00-\u9fff]/.test(c))).toBe(true);
    }
    // The example's own values parse and form a plan (only the keys and ENV_ID are missing).
    const example = parseDotenv(lines.join('\n'));
    expect(() => buildPlan(readProject(ROOT), example)).not.toThrow();
    execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: ROOT });
    execFileSync('git', ['check-ignore', '-q', 'project.private.config.json'], { cwd: ROOT });
  });
});

type Call = [string, ...unknown[]];

/** A fake manager: records every call; `state` says what exists in the environment already. */
function fakeManager(state: { functions: Record<string, string[]>; collections: Record<string, string[]> }) {
  const calls: Call[] = [];
  const manager: ManagerLike = {
    functions: {
      async listAllFunctions(o) {
        calls.push(['listAllFunctions', o]);
        return Object.keys(state.functions).map((FunctionName) => ({ FunctionName }));
      },
      async createFunction(p) {
        calls.push(['createFunction', p]);
        return {};
      },
      async updateFunctionWithProgress(o) {
        calls.push(['updateFunctionWithProgress', o]);
        return {};
      },
      async getFunctionDetail(name) {
        calls.push(['getFunctionDetail', name]);
        return { Triggers: (state.functions[name] ?? []).map((TriggerName) => ({ TriggerName, Type: 'timer' })) };
      },
      async deleteFunctionTrigger(name, trigger) {
        calls.push(['deleteFunctionTrigger', name, trigger]);
        return {};
      },
      async createFunctionTriggers(name, triggers) {
        calls.push(['createFunctionTriggers', name, triggers]);
        return {};
      },
    },
    database: {
      async createCollectionIfNotExists(name) {
        calls.push(['createCollectionIfNotExists', name]);
        return { IsCreated: !(name in state.collections) };
      },
      async describeCollection(name) {
        calls.push(['describeCollection', name]);
        return { Indexes: [{ Name: '_id_' }, ...(state.collections[name] ?? []).map((Name) => ({ Name }))] };
      },
      async updateCollection(name, info) {
        calls.push(['updateCollection', name, info]);
        return {};
      },
    },
    commonService: () => ({
      async call(o) {
        calls.push(['commonService.call', o]);
        return {};
      },
    }),
    hosting: {
      async uploadFiles(o) {
        calls.push(['hosting.uploadFiles', o]);
        return {};
      },
    },
    env: {
      async getEnvAuthDomains() {
        calls.push(['env.getEnvAuthDomains']);
        return { Domains: [{ Domain: 'localhost' }] };
      },
      async createEnvDomain(domains) {
        calls.push(['env.createEnvDomain', domains]);
        return {};
      },
    },
  };
  return { manager, calls };
}

const named = (calls: Call[], method: string) => calls.filter((c) => c[0] === method);

describe('the console (社区工作台)', () => {
  test('the custom-login key goes to the desk function only, and is never printed', () => {
    const plan = fullPlan();
    for (const f of plan.functions)
      if (f.name === 'desk') expect(f.envVariables.DESK_LOGIN_KEY).toBe(FULL_ENV.DESK_LOGIN_KEY);
      else expect(f.envVariables).not.toHaveProperty('DESK_LOGIN_KEY');
    expect(formatPlan(plan)).not.toContain('PRIVATE KEY');
  });

  test('the plan lists the static files and the security domains; a bad domain stops it', () => {
    const plan = fullPlan();
    expect(plan.console).toEqual({ dir: 'dist/console', cloudPath: '/' });
    expect(plan.securityDomains).toEqual(['linli-prod-1a2b3c.tcloudbaseapp.com', 'desk.example.org']);
    expect(formatPlan(plan)).toContain('Security domains (安全域名) added if missing: linli-prod-1a2b3c.tcloudbaseapp.com, desk.example.org');
    expect(() => buildPlan(readProject(ROOT), { ...FULL_ENV, CONSOLE_DOMAINS: 'https://x.org/path' })).toThrow(/CONSOLE_DOMAINS/);
    const bare = buildPlan(readProject(ROOT), { ...FULL_ENV, DESK_LOGIN_KEY: undefined, CONSOLE_DOMAINS: undefined });
    expect(bare.warnings.join(' ')).toMatch(/DESK_LOGIN_KEY.*CONSOLE_DOMAINS/);
  });

  test('the executor uploads dist/console and adds only the missing security domains', async () => {
    const { manager, calls } = fakeManager({ functions: {}, collections: {} });
    await executePlan(fullPlan(), manager, ROOT, () => undefined);
    expect(named(calls, 'hosting.uploadFiles')).toEqual([['hosting.uploadFiles', { localPath: path.join(ROOT, 'dist/console'), cloudPath: '' }]]);
    expect(named(calls, 'env.createEnvDomain')).toEqual([['env.createEnvDomain', ['linli-prod-1a2b3c.tcloudbaseapp.com', 'desk.example.org']]]);
  });
});

describe('the executor', () => {
  const quiet = () => undefined;

  test('an empty environment: every function created with its code folder, env and trigger; collections, indexes, rule', async () => {
    const plan = fullPlan();
    const { manager, calls } = fakeManager({ functions: {}, collections: {} });
    await executePlan(plan, manager, ROOT, quiet);

    const created = named(calls, 'createFunction').map((c) => c[1] as { func: Record<string, unknown>; functionPath: string });
    expect(created.map((c) => c.func.name)).toEqual(folders);
    for (const c of created) {
      expect(c.functionPath).toBe(path.join(ROOT, 'dist/cloudfunctions', String(c.func.name)));
      expect(c.func).toMatchObject({
        handler: 'index.main',
        installDependency: true,
        timeout: configOf(String(c.func.name)).timeout,
      });
      expect(c.func.envVariables).toEqual({
        ENV_ID: FULL_ENV.ENV_ID,
        WX_SUBSCRIBE_TEMPLATES: TEMPLATES,
        WX_MINIPROGRAM_STATE: 'trial',
        ...(c.func.name === 'desk' ? { DESK_LOGIN_KEY: FULL_ENV.DESK_LOGIN_KEY } : {}),
      });
    }
    expect(created.find((c) => c.func.name === 'timer')!.func.triggers).toEqual([
      { name: 'sweep', type: 'timer', config: '0 */5 * * * * *' },
    ]);
    expect(named(calls, 'updateFunctionWithProgress')).toEqual([]);

    expect(named(calls, 'createCollectionIfNotExists').map((c) => c[1])).toEqual(database.collections.map((c) => c.name));
    const indexCalls = named(calls, 'updateCollection');
    const expected = database.collections.flatMap((c) =>
      (c.indexes ?? []).map((i) => [
        'updateCollection',
        c.name,
        {
          CreateIndexes: [
            {
              IndexName: i.name,
              MgoKeySchema: {
                MgoIndexKeys: Object.entries(i.keys).map(([Name, d]) => ({ Name, Direction: String(d) })),
                MgoIsUnique: i.unique === true,
              },
            },
          ],
        },
      ]),
    );
    expect(indexCalls).toEqual(expected);
    const rules = named(calls, 'commonService.call').map((c) => c[1]);
    expect(rules).toEqual(
      database.collections.map((c) => ({
        Action: 'ModifySafeRule',
        Param: { EnvId: FULL_ENV.ENV_ID, CollectionName: c.name, AclTag: 'CUSTOM', Rule: '{"read":false,"write":false}' },
      })),
    );
  });

  test('an existing environment: code and config updated, the old every5min trigger replaced by sweep, existing indexes kept', async () => {
    const plan = fullPlan();
    const functions = Object.fromEntries(folders.map((f) => [f, f === 'timer' ? ['every5min'] : []]));
    const orders = database.collections.find((c) => c.name === 'orders')!;
    const { manager, calls } = fakeManager({ functions, collections: { orders: orders.indexes!.slice(1).map((i) => i.name) } });
    await executePlan(plan, manager, ROOT, quiet);

    expect(named(calls, 'createFunction')).toEqual([]);
    const updates = named(calls, 'updateFunctionWithProgress').map(
      (c) => c[1] as { name: string; code: { functionPath: string }; config: Record<string, unknown> },
    );
    expect(updates.map((u) => u.name)).toEqual(folders);
    for (const u of updates) {
      expect(u.code.functionPath).toBe(path.join(ROOT, 'dist/cloudfunctions', u.name));
      expect(u.config).toMatchObject({ timeout: configOf(u.name).timeout, memorySize: configOf(u.name).memorySize });
      expect(Object.keys(u.config.envVariables as object).sort()).toEqual(envNamesOf(u.name));
    }
    expect(named(calls, 'deleteFunctionTrigger')).toEqual([['deleteFunctionTrigger', 'timer', 'every5min']]);
    expect(named(calls, 'createFunctionTriggers')).toEqual([
      ['createFunctionTriggers', 'timer', [{ name: 'sweep', type: 'timer', config: '0 */5 * * * * *' }]],
    ]);
    // orders had every index but its first: only that one is created.
    const ordersIndexes = named(calls, 'updateCollection').filter((c) => c[1] === 'orders');
    expect(ordersIndexes.map((c) => (c[2] as { CreateIndexes: { IndexName: string }[] }).CreateIndexes[0].IndexName)).toEqual([
      orders.indexes![0].name,
    ]);
  });

  test('a plan without ENV_ID or keys is refused before any call', async () => {
    const plan: DeployPlan = buildPlan(readProject(ROOT), {
      TENCENTCLOUD_SECRETID: SECRET_ID,
      TENCENTCLOUD_SECRETKEY: SECRET_KEY,
    });
    const { manager, calls } = fakeManager({ functions: {}, collections: {} });
    await expect(executePlan(plan, manager, ROOT, quiet)).rejects.toThrow(/ENV_ID missing/);
    expect(calls).toEqual([]);
  });

  test("the real manager-node class fits the executor's ManagerLike (checked by tsc)", () => {
    const fits = (m: CloudBase): ManagerLike => m;
    expect(typeof fits).toBe('function');
  });
});

describe('the CLI', () => {
  const run = (args: string[], envFileText: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-cli-'));
    const envFile = path.join(dir, '.env');
    fs.writeFileSync(envFile, envFileText);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    return spawnSync(
      process.execPath,
      ['-r', './tests/fixtures/no-network.js', '-r', './local/register.js', 'scripts/deploy.ts', ...args, '--env-file', envFile],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 60000 },
    );
  };

  test('--dry-run offline prints the whole plan, ENV_ID marked missing, and changes nothing', () => {
    const before = fs.readFileSync(path.join(ROOT, 'miniprogram/env.ts'), 'utf8');
    const res = run(['--dry-run'], '');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = res.stdout;
    expect(out).toContain('(missing: set ENV_ID in .env)');
    expect(out).toContain('Missing for a real deploy: ENV_ID, TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY');
    for (const fn of folders)
      expect(out).toMatch(
        new RegExp(`^  ${fn}: runtime Nodejs[\\d.]+, handler index\\.main, timeout \\d+s, memory \\d+ MB`, 'm'),
      );
    expect(out).toContain('trigger: sweep (timer, "0 */5 * * * * *")');
    for (const c of database.collections) {
      expect(out).toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
      for (const i of c.indexes ?? [])
        expect(out).toContain(
          `index ${i.name}: ${Object.entries(i.keys)
            .map(([f, d]) => `${f} ${d === 1 ? 'asc' : 'desc'}`)
            .join(', ')}`,
        );
    }
    expect(out).toContain('Security rule of every collection: {"read":false,"write":false}');
    expect(out).toContain('Dry run: nothing was built or deployed.');
    expect(fs.readFileSync(path.join(ROOT, 'miniprogram/env.ts'), 'utf8')).toBe(before);
  });

  test('--dry-run with the keys set never prints them', () => {
    const res = run(
      ['--dry-run'],
      `ENV_ID=linli-test-9z\nTENCENTCLOUD_SECRETID=${SECRET_ID}\nTENCENTCLOUD_SECRETKEY=${SECRET_KEY}\nWX_SUBSCRIBE_TEMPLATES=${TEMPLATES}\n`,
    );
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('CloudBase environment: linli-test-9z');
    expect(res.stdout).toContain('env: ENV_ID, WX_SUBSCRIBE_TEMPLATES');
    for (const secret of [SECRET_ID, SECRET_KEY, 'tplOrder_1']) expect(res.stdout + res.stderr).not.toContain(secret);
  });

  test('a real deploy without ENV_ID stops with a clear error before building or calling anything', () => {
    const res = run([], `TENCENTCLOUD_SECRETID=${SECRET_ID}\nTENCENTCLOUD_SECRETKEY=${SECRET_KEY}\n`);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('deploy failed: Cannot deploy: ENV_ID not set. Copy .env.example to .env');
    expect(res.stdout + res.stderr).not.toContain(SECRET_KEY);
  });
});
