// Demo ledger (玻璃口袋): the demo community's four accounts — 公共收益, 维修资金, 专项补助, 捐赠.
// No entries: the book starts empty, so a first statement is all zeros and every figure on it was
// recorded and approved through the function. Fixed `_id`s with put(), so a seed can run again.
import { accountDocs, ACCOUNTS } from '../../cloudfunctions/ledger/model';
import { DEMO_COMMUNITY_ID, put } from './community';

export const DEMO_ACCOUNTS = {
  public: `${DEMO_COMMUNITY_ID}:public`,
  repair: `${DEMO_COMMUNITY_ID}:repair`,
  grant: `${DEMO_COMMUNITY_ID}:grant`,
  donation: `${DEMO_COMMUNITY_ID}:donation`,
};

export async function seedLedger(now: Date): Promise<void> {
  for (const doc of accountDocs(DEMO_COMMUNITY_ID, now)) await put(ACCOUNTS, doc);
}
