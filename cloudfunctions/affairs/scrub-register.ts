// Erasure (member.erase, docs/privacy.md) in the register's import log: a worker's openid becomes
// the erasure's token and their name the erased name; the counts and file names stay (the log is
// the community's record of how its register came to be).
import { collection } from '../common/db';
import { PART_IMPORTS } from './model-register';

export async function scrubRegister(openid: string, token: string, erasedName: string): Promise<void> {
  await collection(PART_IMPORTS).where({ byOpenid: openid }).update({ byOpenid: token, byName: erasedName });
}
