// Checks made before a form is sent, with messages that say what to do. The function checks
// again on its side; these only spare a round trip and say it closer to the field.

export const INVITE_CODE = /^[A-Z0-9]{6,12}$/;
export const PHONE = /^1[3-9]\d{9}$/;

/** Upper-cases and strips spaces: codes are often read aloud and typed by hand. */
export const normalizeCode = (raw: string | undefined): string => (raw || '').replace(/\s+/g, '').toUpperCase();

export function inviteCodeError(code: string): string {
  if (!code) return '请输入邀请码';
  if (!INVITE_CODE.test(code)) return '邀请码是 6 到 12 位字母或数字，请再核对一下';
  return '';
}

export interface JoinForm {
  name: string;
  building: string;
  room: string;
  phone: string;
}

export type JoinErrors = Record<keyof JoinForm, string>;

export const NO_ERRORS: JoinErrors = { name: '', building: '', room: '', phone: '' };

const length = (s: string) => Array.from(s).length;

export function joinFormErrors(form: JoinForm, needBuilding: boolean): JoinErrors {
  const errors: JoinErrors = { ...NO_ERRORS };
  const name = form.name.trim();
  const room = form.room.trim();
  const phone = form.phone.replace(/\s+/g, '');
  if (!name) errors.name = '请填写姓名';
  else if (length(name) > 20) errors.name = '姓名不能超过 20 个字';
  if (needBuilding && !form.building.trim()) errors.building = '请选择您住的楼栋';
  else if (length(form.building.trim()) > 20) errors.building = '楼栋不能超过 20 个字';
  if (!room) errors.room = '请填写房号，例如 302';
  else if (length(room) > 20) errors.room = '房号不能超过 20 个字';
  if (phone && !PHONE.test(phone)) errors.phone = '手机号应是 1 开头的 11 位数字；不想留可以空着';
  return errors;
}

export const hasErrors = (errors: JoinErrors): boolean => Object.values(errors).some(Boolean);
