// npm run deploy — builds the functions and deploys them, their timer triggers, the collections
// with their indexes and the security rule, and the functions' environment variables, to the
// CloudBase environment named by ENV_ID in .env (docs/deploy.md).
//
//   npm run deploy -- --dry-run        print the plan; no build, no network
//   npm run deploy                     build, write the generated config, deploy
//   options: --env-file <path> (default .env), --skip-build
//
// The plan is computed by scripts/deploy/plan.ts (pure: files + settings), applied by
// scripts/deploy/execute.ts through @cloudbase/manager-node. Secrets are never printed.
import fs from 'fs';
import path from 'path';
import { buildFunction } from './build';
import { buildConsole } from './build-console';
import { writeConfig } from './config';
import { executePlan, type ManagerLike } from './deploy/execute';
import { buildPlan, formatPlan, readProject, type DeployPlan } from './deploy/plan';
import { loadEnv } from './deploy/settings';

const ROOT = path.resolve(__dirname, '..');

interface Options {
  dryRun: boolean;
  skipBuild: boolean;
  envFile: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { dryRun: false, skipBuild: false, envFile: path.join(ROOT, '.env') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dry-run') opts.dryRun = true;
    else if (arg === '--skip-build') opts.skipBuild = true;
    else if (arg === '--env-file' && argv[i + 1]) opts.envFile = path.resolve(argv[++i]);
    else throw new Error(`unknown option ${arg} (use --dry-run, --skip-build, --env-file <path>)`);
  }
  return opts;
}

/** Every planned function has its built folder: index.js, package.json, config.json. */
export function checkBuilt(plan: DeployPlan, root = ROOT): void {
  for (const f of plan.functions) {
    for (const file of ['index.js', 'package.json', 'config.json']) {
      if (!fs.existsSync(path.join(root, plan.functionRoot, f.name, file)))
        throw new Error(`${plan.functionRoot}/${f.name}/${file} is missing: run npm run build`);
    }
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const env = loadEnv(opts.envFile);
  const plan = buildPlan(readProject(ROOT), env);
  console.log(formatPlan(plan));
  if (opts.dryRun) {
    console.log('\nDry run: nothing was built or deployed.');
    return;
  }
  if (plan.missing.length) {
    throw new Error(`Cannot deploy: ${plan.missing.join(', ')} not set. Copy .env.example to .env and fill it in.`);
  }
  console.log('');
  const written = writeConfig(ROOT, env);
  if (written.length) console.log(`Wrote ${written.join(', ')}`);
  if (!opts.skipBuild) {
    for (const f of plan.functions) await buildFunction(f.name);
    console.log(`Built ${plan.functions.length} functions into ${plan.functionRoot}/`);
    await buildConsole(plan.envId);
    console.log(`Built the console into ${plan.console.dir}/`);
  }
  checkBuilt(plan);
  // Loaded only for a real deploy: a dry run never touches the manager.
  const CloudBase = require('@cloudbase/manager-node') as new (config: {
    secretId: string;
    secretKey: string;
    envId: string;
  }) => ManagerLike;
  const manager = new CloudBase({
    secretId: env.TENCENTCLOUD_SECRETID as string,
    secretKey: env.TENCENTCLOUD_SECRETKEY as string,
    envId: plan.envId as string,
  });
  await executePlan(plan, manager, ROOT);
  console.log('Deployed.');
}

if (require.main === module) {
  main().catch((err) => {
    // The message only: a stack or a request dump could carry request parameters.
    console.error(`deploy failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
