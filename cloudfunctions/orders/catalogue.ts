// The default service menu every community starts from (product.md §2). Each community gets its
// own copy (documents `${communityId}:${code}`), which workers then edit with `saveService`.
import type { Tag } from '../common/roles';
import type { StepLimits } from './clock';
import type { Server, Tier } from './labels';
import type { ServiceDoc } from './model';

export interface CatalogueItem {
  code: string;
  name: string;
  tier: Tier;
  description: string;
  /** Fen; 0 = free. */
  price: number;
  eligibleTags: Tag[];
  /** Volunteer skills that fit the item (matched against members' `skills`). */
  skills: string[];
  /** Minutes; steps left out use the community default. */
  stepLimits: Partial<StepLimits>;
  sort: number;
  servedBy?: Server;
  complaint?: boolean;
}

const HOUR = 60;

export const DEFAULT_CATALOGUE: readonly CatalogueItem[] = [
  // 基础服务: free for every resident.
  {
    code: 'errand',
    name: '代买代办',
    tier: 'basic',
    description: '代买生活用品、药品，代缴水电燃气费等',
    price: 0,
    eligibleTags: [],
    skills: ['代买代办'],
    stepLimits: { serve: 4 * HOUR },
    sort: 10,
  },
  {
    code: 'escort-medical',
    name: '陪同就医',
    tier: 'basic',
    description: '陪同到社区医院或附近医院挂号、就诊、取药',
    price: 0,
    eligibleTags: [],
    skills: ['陪同就医'],
    stepLimits: { dispatch: 60, accept: 60, serve: 24 * HOUR },
    sort: 20,
  },
  {
    code: 'haircut',
    name: '上门理发',
    tier: 'basic',
    description: '为行动不便的居民上门理发',
    price: 0,
    eligibleTags: [],
    skills: ['上门理发'],
    stepLimits: { serve: 48 * HOUR },
    sort: 30,
  },
  {
    code: 'repair',
    name: '水电小修',
    tier: 'basic',
    description: '更换灯泡、水龙头、开关插座等简单维修（材料费自理）',
    price: 0,
    eligibleTags: [],
    skills: ['水电小修'],
    stepLimits: { serve: 8 * HOUR },
    sort: 40,
  },
  {
    code: 'sanitation',
    name: '环境卫生反映',
    tier: 'basic',
    description: '楼道堆物、垃圾清运、公共区域卫生问题反映与处理',
    price: 0,
    eligibleTags: [],
    skills: [],
    stepLimits: { serve: 48 * HOUR },
    sort: 50,
  },
  // 增值服务: paid at the listed price, settled offline.
  {
    code: 'housekeeping',
    name: '家政保洁',
    tier: 'value_added',
    description: '日常保洁 2 小时，线下结算',
    price: 8000,
    eligibleTags: [],
    skills: ['家政保洁'],
    stepLimits: { serve: 72 * HOUR },
    sort: 110,
  },
  {
    code: 'appliance-clean',
    name: '家电清洗',
    tier: 'value_added',
    description: '空调、油烟机、洗衣机清洗，按台计价，线下结算',
    price: 10000,
    eligibleTags: [],
    skills: ['家电清洗'],
    stepLimits: { serve: 72 * HOUR },
    sort: 120,
  },
  {
    code: 'elder-care',
    name: '居家养老护理',
    tier: 'value_added',
    description: '助浴、助洁、康复陪护等居家护理，按次计价',
    price: 12000,
    eligibleTags: [],
    skills: ['居家养老护理'],
    stepLimits: { serve: 48 * HOUR },
    sort: 130,
  },
  {
    code: 'parcel',
    name: '快递代管',
    tier: 'value_added',
    description: '代收快递并送货上门，按件计价',
    price: 200,
    eligibleTags: [],
    skills: ['代买代办'],
    stepLimits: { serve: 12 * HOUR },
    sort: 140,
  },
  // 特惠服务: free or discounted, only for members carrying a matching tag.
  {
    code: 'lonely-visit',
    name: '独居老人上门探访',
    tier: 'discounted',
    description: '志愿者定期上门探访、聊天、检查水电燃气安全',
    price: 0,
    eligibleTags: ['独居老人'],
    skills: ['居家养老护理'],
    stepLimits: { serve: 24 * HOUR },
    sort: 210,
  },
  {
    code: 'senior-meal',
    name: '高龄助餐',
    tier: 'discounted',
    description: '为高龄老人送餐上门，餐费按优惠价线下结算',
    price: 500,
    eligibleTags: ['高龄'],
    skills: ['代买代办'],
    stepLimits: { dispatch: 20, accept: 20, serve: 3 * HOUR },
    sort: 220,
  },
  {
    code: 'disability-care',
    name: '残疾人陪护',
    tier: 'discounted',
    description: '陪同出行、办事、康复训练',
    price: 0,
    eligibleTags: ['残疾'],
    skills: ['陪同就医', '居家养老护理'],
    stepLimits: { serve: 24 * HOUR },
    sort: 230,
  },
];

/**
 * Items a community with a property company adds to its menu (docs/property.md): served by the
 * company's staff (物业人员) through the same order loop. Not in the default catalogue: a
 * community without a property company never offers them.
 */
export const PROPERTY_CATALOGUE: readonly CatalogueItem[] = [
  {
    code: 'property-repair',
    name: '物业报修',
    tier: 'basic',
    description: '公共区域及户内公共管线报修，由物业人员上门处理',
    price: 0,
    eligibleTags: [],
    skills: [],
    stepLimits: { serve: 24 * HOUR },
    sort: 60,
    servedBy: 'property',
  },
  {
    code: 'property-complaint',
    name: '物业投诉',
    tier: 'basic',
    description: '对物业服务不满意？在这里投诉，物业人员限时回应处理',
    price: 0,
    eligibleTags: [],
    skills: [],
    stepLimits: { serve: 48 * HOUR },
    sort: 65,
    servedBy: 'property',
    complaint: true,
  },
];

export const serviceId = (communityId: string, code: string): string => `${communityId}:${code}`;

/** A community's copy of a catalogue item. */
export function catalogueService(communityId: string, item: CatalogueItem, now: Date): ServiceDoc {
  return {
    _id: serviceId(communityId, item.code),
    communityId,
    name: item.name,
    tier: item.tier,
    description: item.description,
    price: item.price,
    eligibleTags: [...item.eligibleTags],
    skills: [...item.skills],
    enabled: true,
    stepLimits: { ...item.stepLimits },
    sort: item.sort,
    ...(item.servedBy === 'property' ? { servedBy: item.servedBy } : {}),
    ...(item.complaint ? { complaint: true } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
