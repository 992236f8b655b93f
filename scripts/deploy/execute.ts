// Applies a DeployPlan through @cloudbase/manager-node. The executor takes any object with the
// manager's shape (ManagerLike), so a test hands it a fake and checks the calls.
//
// The calls, as read in node_modules/@cloudbase/manager-node 5.6.5:
//   functions.listAllFunctions({ envId })                  lib/function/index.js (ListFunctions)
//   functions.createFunction({ func, functionPath })       CreateFunction, waits until active, then
//                                                          creates func.triggers (BatchCreateTrigger)
//   functions.updateFunctionWithProgress({ name, code: { functionPath }, config })
//                                                          waits → UpdateFunctionCode → waits →
//                                                          UpdateFunctionConfiguration → waits
//   functions.getFunctionDetail(name).Triggers             GetFunction
//   functions.deleteFunctionTrigger(name, triggerName)     DeleteTrigger
//   functions.createFunctionTriggers(name, triggers)       BatchCreateTrigger (timer only)
//   database.createCollectionIfNotExists(name)             lib/database/index.js (CheckTcbTable…)
//   database.describeCollection(name).Indexes              DescribeTable
//   database.updateCollection(name, { CreateIndexes })     UpdateTable
//   commonService().call({ Action: 'ModifySafeRule', … })  the collection's custom security rule,
//                                                          as CloudBase's own MCP server sets it
//                                                          (manager-node has no typed method for it)
import path from 'path';
import type { DeployPlan, FunctionPlan, IndexPlan } from './plan';

interface TriggerSpec {
  name: string;
  type: string;
  config: string;
}

interface FuncSpec {
  name: string;
  runtime?: string;
  handler?: string;
  timeout?: number;
  memorySize?: number;
  installDependency?: boolean;
  envVariables?: Record<string, string>;
  triggers?: TriggerSpec[];
}

/** The part of @cloudbase/manager-node's CloudBase instance the deploy uses. */
export interface ManagerLike {
  functions: {
    listAllFunctions(options: { envId: string }): Promise<Record<string, string>[]>;
    createFunction(param: { func: FuncSpec; functionPath: string; force?: boolean }): Promise<unknown>;
    updateFunctionWithProgress(options: {
      name: string;
      code?: { functionPath: string };
      config?: Omit<FuncSpec, 'name' | 'triggers' | 'handler'>;
    }): Promise<unknown>;
    /** SCF answers TriggerName; manager-node's ITrigger type says Name: either is read. */
    getFunctionDetail(name: string): Promise<{ Triggers?: { TriggerName?: string; Name?: string; Type?: string }[] }>;
    deleteFunctionTrigger(name: string, triggerName: string): Promise<unknown>;
    createFunctionTriggers(name: string, triggers: TriggerSpec[]): Promise<unknown>;
  };
  database: {
    createCollectionIfNotExists(name: string): Promise<{ IsCreated: boolean }>;
    describeCollection(name: string): Promise<{ Indexes?: { Name: string }[] }>;
    updateCollection(
      name: string,
      info: {
        CreateIndexes: {
          IndexName: string;
          MgoKeySchema: { MgoIndexKeys: { Name: string; Direction: string }[]; MgoIsUnique: boolean; MgoIsSparse?: boolean };
        }[];
      },
    ): Promise<unknown>;
  };
  commonService(): { call(options: { Action: string; Param: Record<string, unknown> }): Promise<unknown> };
  hosting: { uploadFiles(options: { localPath: string; cloudPath: string }): Promise<unknown> };
  env: {
    getEnvAuthDomains(): Promise<{ Domains?: { Domain?: string }[] }>;
    createEnvDomain(domains: string[]): Promise<unknown>;
  };
}

export type Log = (line: string) => void;

export function createIndexRequest(index: IndexPlan) {
  return {
    IndexName: index.name,
    MgoKeySchema: {
      MgoIndexKeys: index.keys.map((k) => ({ Name: k.field, Direction: String(k.direction) })),
      MgoIsUnique: index.unique,
      ...(index.sparse ? { MgoIsSparse: true } : {}),
    },
  };
}

const funcSpec = (f: FunctionPlan): FuncSpec => ({
  name: f.name,
  runtime: f.runtime,
  handler: f.handler,
  timeout: f.timeout,
  memorySize: f.memorySize,
  installDependency: f.installDependency,
  envVariables: f.envVariables,
  triggers: f.triggers,
});

async function deployFunction(manager: ManagerLike, f: FunctionPlan, functionPath: string, exists: boolean, log: Log) {
  if (!exists) {
    log(`  ${f.name}: creating (code, config, ${f.triggers.length} trigger${f.triggers.length === 1 ? '' : 's'})`);
    await manager.functions.createFunction({ func: funcSpec(f), functionPath });
    return;
  }
  log(`  ${f.name}: updating code and config`);
  await manager.functions.updateFunctionWithProgress({
    name: f.name,
    code: { functionPath },
    config: {
      runtime: f.runtime,
      timeout: f.timeout,
      memorySize: f.memorySize,
      installDependency: f.installDependency,
      envVariables: f.envVariables,
    },
  });
  // Timer triggers cannot be edited in place: remove the ones there (including ones config.json
  // no longer names, such as an old `every5min`), then create config.json's.
  const detail = await manager.functions.getFunctionDetail(f.name);
  for (const t of detail.Triggers ?? []) {
    const name = t.TriggerName ?? t.Name;
    if (name && t.Type === 'timer') {
      log(`  ${f.name}: removing timer trigger ${name}`);
      await manager.functions.deleteFunctionTrigger(f.name, name);
    }
  }
  if (f.triggers.length) {
    log(`  ${f.name}: creating trigger${f.triggers.length === 1 ? '' : 's'} ${f.triggers.map((t) => t.name).join(', ')}`);
    await manager.functions.createFunctionTriggers(f.name, f.triggers);
  }
}

/**
 * Applies the plan: functions (create or update, then triggers), collections, their missing
 * indexes (existing ones are left as they are: an index is never dropped here), and the rule.
 * `root` is the repository root; code comes from <root>/<plan.functionRoot>/<name>.
 */
export async function executePlan(plan: DeployPlan, manager: ManagerLike, root: string, log: Log = console.log): Promise<void> {
  if (plan.missing.length)
    throw new Error(`Cannot deploy: ${plan.missing.join(', ')} missing. Set them in .env (see .env.example).`);
  const envId = plan.envId as string;

  log(`Functions → ${envId}`);
  const existing = new Set((await manager.functions.listAllFunctions({ envId })).map((f) => f.FunctionName));
  for (const f of plan.functions) {
    await deployFunction(manager, f, path.join(root, plan.functionRoot, f.name), existing.has(f.name), log);
  }

  log('Collections');
  for (const c of plan.collections) {
    const { IsCreated } = await manager.database.createCollectionIfNotExists(c.name);
    log(`  ${c.name}: ${IsCreated ? 'created' : 'exists'}`);
    if (c.indexes.length) {
      const present = new Set(((await manager.database.describeCollection(c.name)).Indexes ?? []).map((i) => i.Name));
      for (const index of c.indexes) {
        if (present.has(index.name)) continue;
        log(`  ${c.name}: creating index ${index.name}`);
        await manager.database.updateCollection(c.name, { CreateIndexes: [createIndexRequest(index)] });
      }
    }
    await manager.commonService().call({
      Action: 'ModifySafeRule',
      Param: { EnvId: envId, CollectionName: c.name, AclTag: 'CUSTOM', Rule: plan.securityRule.rule },
    });
  }
  log(`Security rule ${plan.securityRule.rule} set on ${plan.collections.length} collections`);

  log(`Console → static hosting ${plan.console.cloudPath}`);
  await manager.hosting.uploadFiles({ localPath: path.join(root, plan.console.dir), cloudPath: '' });
  const present = new Set(((await manager.env.getEnvAuthDomains()).Domains ?? []).map((d) => d.Domain));
  const missing = plan.securityDomains.filter((d) => !present.has(d));
  if (missing.length) {
    log(`Security domains: adding ${missing.join(', ')}`);
    await manager.env.createEnvDomain(missing);
  }
  for (const step of plan.manualSteps) log(`Still to do by hand: ${step}`);
}
