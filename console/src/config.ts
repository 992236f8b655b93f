// Where the console's cloud is: config.js beside index.html sets window.CONSOLE_CONFIG. The build
// writes it for CloudBase (the environment id only: the SDK knows CloudBase's hosts); `npm start`
// serves one pointing at the local cloud (apiHost) with `local: true` (the simulated scan).
export interface ConsoleConfig {
  env: string;
  region?: string;
  /** host:port of the local cloud; absent on CloudBase. */
  apiHost?: string;
  /** The local cloud's console server offers a simulated scan (POST /__local/scan). */
  local?: boolean;
}

declare global {
  interface Window {
    CONSOLE_CONFIG?: ConsoleConfig;
  }
}

export function consoleConfig(): ConsoleConfig {
  const config = window.CONSOLE_CONFIG;
  if (!config?.env) throw new Error('config.js is missing or names no environment');
  return config;
}
