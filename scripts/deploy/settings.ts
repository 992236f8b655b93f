// The settings a deployment reads from `.env` (one place for the env id, the keys and the
// functions' environment variables). `.env.example` lists every one of them; a test checks that it
// does, and that every `process.env.X` the cloud functions read is either passed to the functions
// here or named in LOCAL_ONLY_ENV.
import fs from 'fs';

export interface Setting {
  name: string;
  /** `deploy`: a real deploy refuses to start without it. */
  required: 'deploy' | 'optional';
  /** Secret values are never printed, not even in part. */
  secret: boolean;
  /** Set as an environment variable on every cloud function. */
  toFunctions: boolean;
  /** Set on this one function only (a key no other function may read). */
  onlyFunction?: string;
  /** One line each, for .env.example and the plan. */
  zh: string;
  en: string;
}

export const SETTINGS: Setting[] = [
  {
    name: 'ENV_ID',
    required: 'deploy',
    secret: false,
    toFunctions: true,
    zh: '云开发环境 ID（云开发控制台 → 设置 → 环境 ID），部署目标，也写进小程序的 miniprogram/env.ts',
    en: 'CloudBase environment id: where npm run deploy deploys, and the env the mini-program calls',
  },
  {
    name: 'TENCENTCLOUD_SECRETID',
    required: 'deploy',
    secret: true,
    toFunctions: false,
    zh: '腾讯云 API 密钥 SecretId（访问管理 → API 密钥管理），只给部署脚本用，不会写进云函数',
    en: 'Tencent Cloud API key id, used only by npm run deploy; never passed to the functions',
  },
  {
    name: 'TENCENTCLOUD_SECRETKEY',
    required: 'deploy',
    secret: true,
    toFunctions: false,
    zh: '腾讯云 API 密钥 SecretKey，同上；不要提交到 git',
    en: 'Tencent Cloud API key secret, as above; never commit it',
  },
  {
    name: 'WX_APPID',
    required: 'optional',
    secret: false,
    toFunctions: false,
    zh: '你自己的小程序 AppID（可选）；npm run config 把它写进 project.private.config.json',
    en: "your mini-program's AppID (optional); npm run config writes it to project.private.config.json",
  },
  {
    name: 'WX_SUBSCRIBE_TEMPLATES',
    required: 'optional',
    secret: false,
    toFunctions: true,
    zh: '订阅消息模板 ID，按类别的 JSON：order 订单进度、parking 车位预约、notice 通知提醒、member 入驻审核',
    en: 'subscribe-message template ids per kind as JSON (order, parking, notice, member)',
  },
  {
    name: 'WX_MINIPROGRAM_STATE',
    required: 'optional',
    secret: false,
    toFunctions: true,
    zh: '订阅消息打开哪个版本：developer 开发版 / trial 体验版 / formal 正式版（默认）',
    en: 'which version a subscribe message opens: developer, trial or formal (default)',
  },
  {
    name: 'DESK_LOGIN_KEY',
    required: 'optional',
    secret: true,
    toFunctions: false,
    onlyFunction: 'desk',
    zh: '自定义登录私钥（云开发控制台 → 身份认证 → 自定义登录 → 下载私钥）整个 JSON 文件内容，只设在 desk 云函数上；电脑端工作台扫码登录用它签发登录凭证',
    en: "the custom-login private key file (JSON) from CloudBase's console; set on the desk function only, which signs the console's login tickets",
  },
  {
    name: 'CONSOLE_DOMAINS',
    required: 'optional',
    secret: false,
    toFunctions: false,
    zh: '电脑端工作台的网址域名（静态网站托管的默认域名或自定义域名），逗号分隔；部署时加进安全域名，只有这些网页能调用云开发',
    en: "the console's domains (static hosting's default domain or your own), comma-separated; deploy adds them to the environment's security domains",
  },
];

/**
 * Read by the function code but never set in CloudBase: TCB_SERVICE_URL points the SDK at the
 * local cloud, and setting it in production would send every call to a laptop.
 */
export const LOCAL_ONLY_ENV: Record<string, string> = {
  TCB_SERVICE_URL: 'local cloud only: points @cloudbase/node-sdk at the local cloud',
};

export const FUNCTION_ENV_NAMES = SETTINGS.filter((s) => s.toFunctions).map((s) => s.name);

/** Variables set on one function only (DESK_LOGIN_KEY on desk), by name. */
export const ONE_FUNCTION_ENV: Record<string, string> = Object.fromEntries(
  SETTINGS.filter((s) => s.onlyFunction).map((s) => [s.name, s.onlyFunction as string]),
);

export type EnvValues = Record<string, string | undefined>;

/**
 * Parses a dotenv file: `KEY=value`, `export KEY=value`, `#` comments, single or double quotes
 * (double quotes understand \n). An unquoted value ends at ` #`.
 */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    out[m[1]] = value;
  }
  return out;
}

/** The settings from a `.env` file (if it exists), each overridden by the process environment. */
export function loadEnv(file: string | undefined, processEnv: EnvValues = process.env): EnvValues {
  const fromFile = file && fs.existsSync(file) ? parseDotenv(fs.readFileSync(file, 'utf8')) : {};
  const out: EnvValues = {};
  for (const { name } of SETTINGS) {
    const value = processEnv[name] ?? fromFile[name];
    out[name] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  return out;
}
