// The deployment plan: what `npm run deploy` will create or update in a CloudBase environment,
// computed from the repository's files and the settings alone. No network, no clock: the same
// files and settings always give the same plan, which `--dry-run` prints and the executor applies.
//
// Sources (each the only one for what it holds):
//   cloudfunctions/<fn>/        a function is a folder with index.ts (not common/)
//   cloudfunctions/<fn>/config.json   timeout, memorySize, triggers, permissions.openapi, runtime?
//   cloudfunctions/database.json      collections, indexes, security rule
//   .env / the process environment    ENV_ID, keys, the functions' environment variables
import fs from 'fs';
import path from 'path';
import { parseCron } from '../../local/cron';
import { FUNCTION_ENV_NAMES, SETTINGS, type EnvValues } from './settings';

/** What CloudBase needs that config.json does not say (config.json may override runtime). */
export const FUNCTION_DEFAULTS = {
  runtime: 'Nodejs18.15',
  handler: 'index.main',
  /** The platform installs package.json's dependencies (@cloudbase/node-sdk, wx-server-sdk). */
  installDependency: true,
} as const;

export interface TriggerConfig {
  name: string;
  type: string;
  config: string;
}

/** cloudfunctions/<fn>/config.json as this project writes it. */
export interface FunctionConfig {
  runtime?: string;
  timeout?: number;
  memorySize?: number;
  triggers?: TriggerConfig[];
  permissions?: { openapi?: string[] };
}

export interface DatabaseIndex {
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
  sparse?: boolean;
}

export interface DatabaseJson {
  collections: { name: string; indexes?: DatabaseIndex[] }[];
  securityRule: Record<string, unknown>;
}

export interface ProjectFiles {
  functions: { name: string; config: FunctionConfig }[];
  database: DatabaseJson;
}

export interface FunctionPlan {
  name: string;
  runtime: string;
  handler: string;
  timeout: number;
  memorySize: number;
  installDependency: boolean;
  /** Values travel to CloudBase; the plan printout shows only the names. */
  envVariables: Record<string, string>;
  triggers: TriggerConfig[];
  /** permissions.openapi (云调用): applied only by a WeChat DevTools upload, see docs/deploy.md. */
  openapi: string[];
}

export interface IndexPlan {
  name: string;
  keys: { field: string; direction: 1 | -1 }[];
  unique: boolean;
  sparse: boolean;
}

export interface CollectionPlan {
  name: string;
  indexes: IndexPlan[];
}

export interface SecurityRulePlan {
  /** The rule of database.json, as CloudBase's custom rule (安全规则) text. */
  rule: string;
  /** What the rule amounts to in the console's words. */
  summary: string;
}

export interface DeployPlan {
  envId: string | undefined;
  /** Where the built folders are, relative to the repository root. */
  functionRoot: string;
  functions: FunctionPlan[];
  collections: CollectionPlan[];
  securityRule: SecurityRulePlan;
  /** Settings a real deploy needs and does not have. Dry-run prints them; a deploy stops. */
  missing: string[];
  warnings: string[];
  /** What npm run deploy cannot do and the developer must (DevTools upload for 云调用). */
  manualSteps: string[];
  /** The console (社区工作台): its static files and where static hosting serves them. */
  console: { dir: string; cloudPath: string };
  /** Origins allowed to call the environment from a browser (安全域名): the console's domains. */
  securityDomains: string[];
}

export const FUNCTION_ROOT = 'dist/cloudfunctions';
export const CONSOLE_ROOT = 'dist/console';
const TEMPLATE_KINDS = ['order', 'parking', 'notice', 'member'];

/** Function folders: every folder under cloudfunctions/ with an index.ts, except common/. */
export function functionFolders(cloudfunctionsDir: string): string[] {
  return fs
    .readdirSync(cloudfunctionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'common' && fs.existsSync(path.join(cloudfunctionsDir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** Reads what the plan is made of from a repository checkout. */
export function readProject(root: string): ProjectFiles {
  const dir = path.join(root, 'cloudfunctions');
  return {
    functions: functionFolders(dir).map((name) => {
      const file = path.join(dir, name, 'config.json');
      return { name, config: fs.existsSync(file) ? readJson<FunctionConfig>(file) : {} };
    }),
    database: readJson<DatabaseJson>(path.join(dir, 'database.json')),
  };
}

export class PlanError extends Error {}

function checkTrigger(fn: string, t: TriggerConfig): TriggerConfig {
  if (!t || typeof t.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,59}$/.test(t.name))
    throw new PlanError(`${fn}/config.json: trigger name "${t?.name}" is not a valid trigger name`);
  if (t.type !== 'timer')
    throw new PlanError(`${fn}/config.json: trigger ${t.name} has type "${t.type}"; only timer triggers deploy`);
  parseCron(t.config); // throws on a malformed 7-field cron
  return { name: t.name, type: t.type, config: t.config };
}

function functionPlan(name: string, config: FunctionConfig, envVariables: Record<string, string>): FunctionPlan {
  const timeout = config.timeout ?? 3;
  const memorySize = config.memorySize ?? 256;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 900)
    throw new PlanError(`${name}/config.json: timeout must be whole seconds (1–900), got ${config.timeout}`);
  if (![64, 128, 256, 512, 1024, 2048].includes(memorySize))
    throw new PlanError(`${name}/config.json: memorySize must be 64/128/256/512/1024/2048 MB, got ${config.memorySize}`);
  return {
    name,
    runtime: config.runtime ?? FUNCTION_DEFAULTS.runtime,
    handler: FUNCTION_DEFAULTS.handler,
    timeout,
    memorySize,
    installDependency: FUNCTION_DEFAULTS.installDependency,
    envVariables: { ...envVariables },
    triggers: (config.triggers ?? []).map((t) => checkTrigger(name, t)),
    openapi: [...(config.permissions?.openapi ?? [])],
  };
}

function indexPlan(collection: string, index: DatabaseIndex): IndexPlan {
  const keys = Object.entries(index.keys ?? {}).map(([field, direction]) => {
    if (direction !== 1 && direction !== -1)
      throw new PlanError(`database.json: ${collection}.${index.name}: key ${field} must be 1 or -1, got ${String(direction)}`);
    return { field, direction };
  });
  if (!keys.length) throw new PlanError(`database.json: ${collection}.${index.name} has no keys`);
  return { name: index.name, keys, unique: index.unique === true, sparse: index.sparse === true };
}

function securityRulePlan(rule: Record<string, unknown>): SecurityRulePlan {
  if (!rule || typeof rule !== 'object' || !('read' in rule) || !('write' in rule))
    throw new PlanError('database.json: securityRule must have "read" and "write"');
  const closed = rule.read === false && rule.write === false;
  return {
    rule: JSON.stringify(rule),
    summary: closed
      ? '仅管理端可读写 (ADMINONLY): the mini-program never reads the database; only the functions do'
      : 'custom rule',
  };
}

/** Settings → warnings about values the functions would silently fall back from. */
function settingWarnings(env: EnvValues): string[] {
  const warnings: string[] = [];
  const templates = env.WX_SUBSCRIBE_TEMPLATES;
  if (!templates) {
    warnings.push('WX_SUBSCRIBE_TEMPLATES is not set: subscribe messages use placeholder template ids and WeChat refuses them.');
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(templates);
    } catch {
      throw new PlanError(
        'WX_SUBSCRIBE_TEMPLATES is not valid JSON (expected {"order":"…","parking":"…","notice":"…","member":"…"})',
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new PlanError('WX_SUBSCRIBE_TEMPLATES must be a JSON object keyed by kind (order, parking, notice, member)');
    const absent = TEMPLATE_KINDS.filter((k) => !(parsed as Record<string, unknown>)[k]);
    if (absent.length)
      warnings.push(`WX_SUBSCRIBE_TEMPLATES has no template for: ${absent.join(', ')} (those kinds stay in-app only).`);
  }
  const state = env.WX_MINIPROGRAM_STATE;
  if (state && !['developer', 'trial', 'formal'].includes(state))
    throw new PlanError(`WX_MINIPROGRAM_STATE must be developer, trial or formal, got "${state}"`);
  return warnings;
}

/** The plan: a pure function of the files and the settings. */
export function buildPlan(files: ProjectFiles, env: EnvValues): DeployPlan {
  const envVariables: Record<string, string> = {};
  for (const { name } of SETTINGS.filter((s) => s.toFunctions)) {
    const value = env[name];
    if (value !== undefined) envVariables[name] = value;
  }
  const functions = files.functions.map((f) => {
    const own = { ...envVariables };
    for (const s of SETTINGS) if (s.onlyFunction === f.name && env[s.name] !== undefined) own[s.name] = env[s.name] as string;
    return functionPlan(f.name, f.config, own);
  });
  const securityDomains = (env.CONSOLE_DOMAINS ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of securityDomains)
    if (!/^[a-z0-9.-]+(:\d{1,5})?$/i.test(d)) throw new PlanError(`CONSOLE_DOMAINS: "${d}" is not a domain (example: linli-prod-1a2b3c.tcloudbaseapp.com)`);

  const seen = new Set<string>();
  const collections = files.database.collections.map((c) => {
    if (seen.has(c.name)) throw new PlanError(`database.json: collection ${c.name} is listed twice`);
    seen.add(c.name);
    return { name: c.name, indexes: (c.indexes ?? []).map((i) => indexPlan(c.name, i)) };
  });

  const missing = SETTINGS.filter((s) => s.required === 'deploy' && !env[s.name]).map((s) => s.name);
  const openapiFns = functions.filter((f) => f.openapi.length);
  const manualSteps = openapiFns.length
    ? [
        `云调用 permissions (permissions.openapi) of ${openapiFns.map((f) => f.name).join(', ')} are applied only when WeChat DevTools uploads the function: ` +
          'run npm run build, then in DevTools right-click each folder under dist/cloudfunctions → 上传并部署：云端安装依赖 (once, and again whenever permissions.openapi changes). See docs/deploy.md.',
      ]
    : [];

  return {
    envId: env.ENV_ID,
    functionRoot: FUNCTION_ROOT,
    functions,
    collections,
    securityRule: securityRulePlan(files.database.securityRule),
    missing,
    warnings: [
      ...settingWarnings(env),
      ...(env.DESK_LOGIN_KEY ? [] : ['DESK_LOGIN_KEY is not set: the console (社区工作台) cannot sign anyone in.']),
      ...(securityDomains.length ? [] : ["CONSOLE_DOMAINS is not set: browsers on the console's domain are refused (安全域名)."]),
    ],
    manualSteps,
    console: { dir: CONSOLE_ROOT, cloudPath: '/' },
    securityDomains,
  };
}

const dir = (d: 1 | -1) => (d === 1 ? 'asc' : 'desc');

/** The plan as text: names of environment variables only, never their values. */
export function formatPlan(plan: DeployPlan): string {
  const lines: string[] = [];
  lines.push(`CloudBase environment: ${plan.envId ?? '(missing: set ENV_ID in .env)'}`);
  if (plan.missing.length) lines.push(`Missing for a real deploy: ${plan.missing.join(', ')}`);
  lines.push('');
  lines.push(`Functions (${plan.functions.length}, code from ${plan.functionRoot}/<name>/ after npm run build):`);
  for (const f of plan.functions) {
    lines.push(
      `  ${f.name}: runtime ${f.runtime}, handler ${f.handler}, timeout ${f.timeout}s, memory ${f.memorySize} MB, ` +
        `dependencies installed in the cloud: ${f.installDependency ? 'yes' : 'no'}`,
    );
    const names = Object.keys(f.envVariables);
    lines.push(`    env: ${names.length ? names.join(', ') : '(none)'}`);
    const unset = [...FUNCTION_ENV_NAMES, ...SETTINGS.filter((s) => s.onlyFunction === f.name).map((s) => s.name)].filter(
      (n) => !names.includes(n),
    );
    if (unset.length) lines.push(`    env not set: ${unset.join(', ')}`);
    for (const t of f.triggers) lines.push(`    trigger: ${t.name} (${t.type}, "${t.config}")`);
    if (f.openapi.length) lines.push(`    云调用 permissions.openapi: ${f.openapi.join(', ')} (DevTools upload only)`);
  }
  lines.push('');
  const indexCount = plan.collections.reduce((n, c) => n + c.indexes.length, 0);
  lines.push(`Collections (${plan.collections.length}, ${indexCount} indexes besides _id):`);
  for (const c of plan.collections) {
    lines.push(`  ${c.name}${c.indexes.length ? '' : ' (no index besides _id)'}`);
    for (const i of c.indexes) {
      const keys = i.keys.map((k) => `${k.field} ${dir(k.direction)}`).join(', ');
      lines.push(`    index ${i.name}: ${keys}${i.unique ? ', unique' : ''}${i.sparse ? ', sparse' : ''}`);
    }
  }
  lines.push('');
  lines.push(`Security rule of every collection: ${plan.securityRule.rule} — ${plan.securityRule.summary}`);
  lines.push('');
  lines.push(`Console (社区工作台): ${plan.console.dir}/ (npm run build:console) → static hosting ${plan.console.cloudPath}`);
  lines.push(`Security domains (安全域名) added if missing: ${plan.securityDomains.length ? plan.securityDomains.join(', ') : '(none: set CONSOLE_DOMAINS)'}`);
  for (const w of plan.warnings) lines.push(`Warning: ${w}`);
  for (const s of plan.manualSteps) lines.push(`Manual step: ${s}`);
  return lines.join('\n');
}
