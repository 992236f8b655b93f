// npm run street -- <command> — the platform operator's streets (街道, docs/street.md): streets,
// their communities and their leaders are written here, never by a cloud function or a community
// worker. It talks to the CloudBase environment of `.env` (ENV_ID, TENCENTCLOUD_SECRETID,
// TENCENTCLOUD_SECRETKEY — the same settings `npm run deploy` uses) through @cloudbase/node-sdk;
// `--local <url>` sends it to a local cloud instead (e.g. http://127.0.0.1:3000 of `npm start`).
//
//   npm run street -- create <streetId> <name>                    create a street, or rename it
//   npm run street -- add <streetId> <communityId>...             add communities (≤ 50 a street)
//   npm run street -- remove <streetId> <communityId>...          take communities out
//   npm run street -- appoint <streetId> <openid> <name>          appoint a leader (one street each)
//   npm run street -- dismiss <openid>                            end an appointment
//   npm run street -- show <streetId>                             print the street
//   options: --env-file <path> (default .env), --local <url>
import path from 'path';
import tcb from '@cloudbase/node-sdk';
import { loadEnv } from './deploy/settings';
import { addCommunities, appointLeader, createStreet, removeCommunities, removeLeader, showStreet, type DbLike } from './street/ops';

const ROOT = path.resolve(__dirname, '..');
const USAGE = 'usage: npm run street -- create|add|remove|appoint|dismiss|show … [--env-file <path>] [--local <url>]';

function database(envFile: string, local: string | undefined): DbLike {
  if (local) {
    // The local cloud takes any key; it only needs the SDK to send its calls there.
    const app = tcb.init({ env: 'local', serviceUrl: `${local.replace(/\/$/, '')}/tcb`, secretId: 'local', secretKey: 'local' });
    return app.database() as unknown as DbLike;
  }
  const env = loadEnv(envFile);
  const missing = ['ENV_ID', 'TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY'].filter((k) => !env[k]);
  if (missing.length) throw new Error(`${missing.join(', ')} not set: copy .env.example to .env and fill it in`);
  const app = tcb.init({ env: env.ENV_ID!, secretId: env.TENCENTCLOUD_SECRETID!, secretKey: env.TENCENTCLOUD_SECRETKEY! });
  return app.database() as unknown as DbLike;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let envFile = path.join(ROOT, '.env');
  let local: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--env-file' && args[i + 1]) envFile = path.resolve(args[++i]);
    else if (args[i] === '--local' && args[i + 1]) local = args[++i];
    else rest.push(args[i]);
  }
  const [command, ...params] = rest;
  const need = (n: number) => {
    if (params.length < n) throw new Error(USAGE);
  };
  const db = database(envFile, local);
  let out: unknown;
  switch (command) {
    case 'create':
      need(2);
      out = await createStreet(db, params[0], params.slice(1).join(' '));
      break;
    case 'add':
      need(2);
      out = await addCommunities(db, params[0], params.slice(1));
      break;
    case 'remove':
      need(2);
      out = await removeCommunities(db, params[0], params.slice(1));
      break;
    case 'appoint':
      need(3);
      out = await appointLeader(db, params[0], params[1], params.slice(2).join(' '));
      break;
    case 'dismiss':
      need(1);
      out = { dismissed: await removeLeader(db, params[0]) };
      break;
    case 'show':
      need(1);
      out = await showStreet(db, params[0]);
      break;
    default:
      throw new Error(USAGE);
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
