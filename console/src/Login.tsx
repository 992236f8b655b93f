// 扫码登录: no password. The browser signs in anonymously, asks the desk for a mini-program code
// carrying a one-time session id, and polls; when the worker confirms in the mini-program, the
// poll answers a custom-login ticket once and the console signs in with it (docs/console.md).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Card } from 'tdesign-react/es/card';
import { Loading } from 'tdesign-react/es/loading';
import { Space } from 'tdesign-react/es/space';
import type { LoginStart } from '../../cloudfunctions/desk/api';
import { call, CloudError, signInAnonymously, signInWithTicket } from './cloud';
import { consoleConfig } from './config';

const POLL_MS = 2000;

type Phase =
  { kind: 'loading' } | { kind: 'waiting'; start: LoginStart } | { kind: 'expired' } | { kind: 'failed'; message: string };

export function Login({ onSignedIn }: { onSignedIn: () => void }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [now, setNow] = useState(Date.now());
  const alive = useRef(true);

  const ask = useCallback(async () => {
    setPhase({ kind: 'loading' });
    try {
      await signInAnonymously();
      const start = await call('desk', 'startLogin', {});
      if (alive.current) setPhase({ kind: 'waiting', start });
    } catch (err) {
      if (alive.current) setPhase({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }, []);

  useEffect(() => {
    alive.current = true;
    void ask();
    return () => {
      alive.current = false;
    };
  }, [ask]);

  const sessionId = phase.kind === 'waiting' ? phase.start.sessionId : undefined;
  useEffect(() => {
    if (!sessionId) return;
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      try {
        const poll = await call('desk', 'pollLogin', { sessionId });
        if (stopped) return;
        if (poll.status === 'expired') return setPhase({ kind: 'expired' });
        if (poll.status === 'confirmed') {
          await signInWithTicket(poll.ticket);
          return onSignedIn();
        }
      } catch (err) {
        if (stopped) return;
        if (err instanceof CloudError && err.code !== 'E_NETWORK') return setPhase({ kind: 'failed', message: err.message });
      }
      timer = window.setTimeout(tick, POLL_MS);
    };
    let timer = window.setTimeout(tick, POLL_MS);
    const clock = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      window.clearInterval(clock);
    };
  }, [sessionId, onSignedIn]);

  const simulateScan = async () => {
    if (!sessionId) return;
    await fetch(`./__local/scan?session=${encodeURIComponent(sessionId)}`, { method: 'POST' });
  };

  const left = phase.kind === 'waiting' ? Math.max(0, Math.round((Date.parse(phase.start.expiresAt) - now) / 1000)) : 0;
  return (
    <div className="login">
      <Card bordered className="login-card" title="扫码登录社区工作台">
        {phase.kind === 'loading' && <Loading text="正在生成登录二维码…" />}
        {phase.kind === 'waiting' && (
          <Space direction="vertical" align="center" className="login-body">
            {phase.start.code ? (
              <img className="login-code" src={phase.start.code} alt="小程序登录码" data-session={phase.start.sessionId} />
            ) : (
              <div className="login-code missing" data-session={phase.start.sessionId}>
                二维码暂时生成失败，请刷新
              </div>
            )}
            <p className="login-hint">请用社区工作人员的微信扫一扫，在小程序里看清登录地点和时间后确认。</p>
            <p className="login-timer">二维码 {left} 秒后失效 · 只能使用一次</p>
            {consoleConfig().local && (
              <Button variant="outline" onClick={simulateScan} className="simulate-scan">
                模拟扫码（本地演示：以 demo-worker 确认）
              </Button>
            )}
          </Space>
        )}
        {(phase.kind === 'expired' || phase.kind === 'failed') && (
          <Space direction="vertical" align="center" className="login-body">
            <p className="login-hint">{phase.kind === 'expired' ? '二维码已失效，请刷新后重新扫码。' : phase.message}</p>
            <Button theme="primary" size="large" onClick={() => void ask()}>
              刷新二维码
            </Button>
          </Space>
        )}
      </Card>
      <p className="login-foot">不用密码：登录只对扫码确认的那台电脑有效，工作人员可随时在小程序「我的 › 电脑登录」里结束。</p>
    </div>
  );
}
