// The demo community's property company (评星定级, docs/property.md): its profile, one staff member
// (物业人员 王师傅, demo-property-1) and the two menu items its staff serve, 物业报修 and 物业投诉.
// The second community has no company: it sees none of this. Fixed `_id`s with put().
import { memberId, gridOf, type CommunityDoc, type MemberDoc } from '../../cloudfunctions/common/model';
import { catalogueService, PROPERTY_CATALOGUE } from '../../cloudfunctions/orders/catalogue';
import { SERVICES } from '../../cloudfunctions/orders/model';
import { COMPANIES, type CompanyDoc } from '../../cloudfunctions/property/model';
import { communities, DEMO_COMMUNITY_ID, put } from './community';

export const DEMO_STAFF = { openid: 'demo-property-1', label: '物业人员（幸福物业）', name: '王师傅' };

export async function seedProperty(now: Date): Promise<void> {
  const company: CompanyDoc = {
    _id: DEMO_COMMUNITY_ID,
    communityId: DEMO_COMMUNITY_ID,
    name: '幸福物业服务有限公司',
    manager: '陈经理',
    dutyPhone: '0755-86001234',
    updatedBy: 'demo-worker',
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await put(COMPANIES, company);
  const community = communities(now).find((c) => c._id === DEMO_COMMUNITY_ID) as CommunityDoc;
  const staff: MemberDoc = {
    _id: memberId(DEMO_COMMUNITY_ID, DEMO_STAFF.openid),
    communityId: DEMO_COMMUNITY_ID,
    openid: DEMO_STAFF.openid,
    name: DEMO_STAFF.name,
    building: '1栋',
    room: '物业值班室',
    phone: '13800000041',
    status: 'active',
    roles: ['resident', 'property'],
    tags: [],
    skills: ['水电小修'],
    onDuty: false,
    gridId: gridOf(community, '1栋'),
    joinedAt: now,
    updatedAt: now,
    version: 1,
  };
  await put('members', staff);
  await put('users', { _id: DEMO_STAFF.openid, currentCommunityId: DEMO_COMMUNITY_ID, updatedAt: now } as { _id: string });
  for (const item of PROPERTY_CATALOGUE) await put(SERVICES, catalogueService(DEMO_COMMUNITY_ID, item, now));
}
