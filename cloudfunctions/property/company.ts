// The community's property company: its profile (name, project manager, duty phone), which every
// member reads and workers keep. Its staff are members with the role `property`, set by a worker
// with member.setRoles (docs/property.md, "The company and its staff").
import { audit } from '../common/audit';
import { compareAndSet, insertOnce } from '../common/cas';
import { AppError } from '../common/errors';
import { action, ANY_MEMBER } from '../common/router';
import { propertySchemas as s, type CompanyView } from './api';
import { COMPANIES, type CompanyDoc } from './model';
import { findCompany, staffCount } from './store';

const toCompanyView = (c: CompanyDoc, staff: number): CompanyView => ({
  name: c.name,
  manager: c.manager,
  dutyPhone: c.dutyPhone,
  staffCount: staff,
});

export const companyActions = {
  company: action({
    schema: s.company,
    roles: ANY_MEMBER,
    handler: async (_input, ctx) => {
      const company = await findCompany(ctx.communityId);
      return { company: company ? toCompanyView(company, await staffCount(ctx.communityId)) : null };
    },
  }),

  saveCompany: action({
    schema: s.saveCompany,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ name, manager, dutyPhone }, ctx) => {
      const current = await findCompany(ctx.communityId);
      const fields = { name, manager, dutyPhone, updatedBy: ctx.openid, updatedAt: ctx.now };
      let saved: CompanyDoc;
      if (current) {
        await compareAndSet(
          COMPANIES,
          { _id: current._id, version: current.version },
          fields,
          '物业公司信息刚被其他人修改，请刷新后重试',
        );
        saved = { ...current, ...fields, version: current.version + 1 };
      } else {
        saved = { _id: ctx.communityId, communityId: ctx.communityId, ...fields, createdAt: ctx.now, version: 1 };
        if (!(await insertOnce(COMPANIES, saved))) {
          throw new AppError('E_CONFLICT', '物业公司信息刚被其他人登记，请刷新后重试');
        }
      }
      await audit(ctx, {
        target: `property_company:${saved._id}`,
        before: current ? { name: current.name, manager: current.manager } : {},
        after: { name: saved.name, manager: saved.manager },
      });
      return { company: toCompanyView(saved, await staffCount(ctx.communityId)) };
    },
  }),
};
