// A web-SDK client for node tests: the requests @cloudbase/js-sdk 3.x sends (auth under /auth/v1,
// functions as `functions.invokeFunction` on /web), so tests can play a browser against the local
// cloud. tests/browser/console.test.ts drives the real SDK in Chromium.
import type { Result } from '../../cloudfunctions/common/envelope';
import type { LocalCloud } from '../../local/cloud';
import type { Apis, Input, Output } from './call';

export interface Credentials {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
  sub: string;
}

export class WebClient {
  credentials: Credentials | undefined;
  constructor(
    private readonly cloud: LocalCloud,
    private readonly origin?: string,
  ) {}

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', ...(this.origin ? { origin: this.origin } : {}) };
  }

  async auth(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.cloud.url}/auth/v1/${path}`, { method: 'POST', headers: this.headers(), body: JSON.stringify(body) });
    const answer = (await res.json()) as Record<string, unknown>;
    if (res.status === 200) this.credentials = answer as unknown as Credentials;
    return { status: res.status, body: answer };
  }

  signInAnonymously() {
    return this.auth('signin/anonymously', {});
  }

  signInWithTicket(ticket: string) {
    return this.auth('signin/custom', { provider_id: 'custom', ticket });
  }

  refresh() {
    return this.auth('token', { grant_type: 'refresh_token', refresh_token: this.credentials?.refresh_token });
  }

  /** The raw /web answer: `{ requestId, data: { response_data } }` or `{ code, message }`. */
  async invokeRaw(fn: string, event: unknown, extraHeaders: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const res = await fetch(`${this.cloud.url}/web?env=local`, {
      method: 'POST',
      headers: { ...this.headers(), ...extraHeaders },
      body: JSON.stringify({
        action: 'functions.invokeFunction',
        dataVersion: '2020-01-10',
        env: 'local',
        access_token: this.credentials?.access_token,
        function_name: fn,
        request_data: JSON.stringify(event),
      }),
    });
    return (await res.json()) as Record<string, unknown>;
  }

  async call<F extends keyof Apis, A extends keyof Apis[F] & string>(
    fn: F,
    action: A,
    payload?: Input<Apis[F], A>,
  ): Promise<Result<Output<Apis[F], A>>> {
    const raw = await this.invokeRaw(fn, { action, payload });
    const data = raw.data as { response_data?: string } | undefined;
    if (!data?.response_data) throw new Error(`web call failed: ${String(raw.code)} ${String(raw.message)}`);
    return JSON.parse(data.response_data) as Result<Output<Apis[F], A>>;
  }
}
