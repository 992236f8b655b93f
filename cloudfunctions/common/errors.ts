import type { ErrorBody, ErrorCode } from './envelope';

export const ERROR_CODES: readonly ErrorCode[] = [
  'E_VALIDATION',
  'E_UNAUTHENTICATED',
  'E_NOT_MEMBER',
  'E_FORBIDDEN',
  'E_NOT_FOUND',
  'E_CONFLICT',
  'E_RATE_LIMITED',
  'E_CONTENT_REJECTED',
  'E_UNKNOWN_ACTION',
  'E_INTERNAL',
];

/** Default messages: what a person can do about it, in the UI's language. */
const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  E_VALIDATION: '填写的内容有误，请检查后重试',
  E_UNAUTHENTICATED: '无法识别您的微信身份，请重新打开小程序',
  E_NOT_MEMBER: '您还不是本社区成员，请通过社区邀请加入，或等待社区审核',
  E_FORBIDDEN: '您没有权限进行此操作',
  E_NOT_FOUND: '内容不存在或已被删除',
  E_CONFLICT: '状态已变化，请刷新后重试',
  E_RATE_LIMITED: '操作太频繁，请稍后再试',
  E_CONTENT_REJECTED: '内容包含不当信息，请修改后再提交',
  E_UNKNOWN_ACTION: '不支持的操作，请升级小程序后重试',
  E_INTERNAL: '系统繁忙，请稍后再试',
};

/** An expected failure with a code from the closed list; the router turns it into `{ ok: false }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** E_RATE_LIMITED: seconds until the caller may try again (the envelope's `retryAfterSeconds`). */
  readonly retryAfterSeconds?: number;
  constructor(code: ErrorCode, message?: string, retryAfterSeconds?: number) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.code = code;
    this.name = 'AppError';
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The error as the envelope carries it. */
  body(): ErrorBody {
    const out: ErrorBody = { code: this.code, message: this.message };
    if (this.retryAfterSeconds !== undefined) out.retryAfterSeconds = this.retryAfterSeconds;
    return out;
  }
}
