// The console's shell: 扫码登录 until the desk knows this browser as a worker's console, then the
// 工作台 with the worker's name and community and a sign-out that ends the session. `#/print/<orderId>`
// shows an order's printable 派工单 over the tabs (which stay mounted, so 返回 finds the board as left).
// A street leader's console (docs/street.md) shows the 街道 view instead of the worker's tabs.
import { Suspense, useCallback, useEffect, useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Layout } from 'tdesign-react/es/layout';
import { Loading } from 'tdesign-react/es/loading';
import { Tabs } from 'tdesign-react/es/tabs';
import { Board } from './Board';
import type { MeView } from '../../cloudfunctions/member/api';
import type { StreetMe } from '../../cloudfunctions/street/api';
import { call, CloudError, hasLoginState, signOut } from './cloud';
import { Home } from './Home';
import { lazyScreen } from './lazy';
import { Login } from './Login';
import { Register } from './Register';
import { Members } from './Members';
import { Notices } from './Notices';
import { PrintView } from './PrintView';

// ECharts lives only in the statistics and the street view: they load as their own chunks, on first open.
const Stats = lazyScreen('Stats', () => import('./Stats').then((m) => m.Stats));
const Street = lazyScreen('Street', () => import('./Street').then((m) => m.Street));

/** The order id of `#/print/<orderId>`, or null. */
const printedOrder = (): string | null => {
  const m = /^#\/print\/([^/?#]+)$/.exec(window.location.hash);
  return m ? decodeURIComponent(m[1]) : null;
};

type State =
  | { kind: 'checking' }
  | { kind: 'login' }
  | { kind: 'console'; me: MeView; sessionId?: string }
  | { kind: 'street'; leader: StreetMe; sessionId?: string };

/** A leader's console: the worker's calls answer E_FORBIDDEN, street.me answers who leads which street. */
async function leaderState(): Promise<State> {
  const [leader, sessions] = await Promise.all([call('street', 'me', {}), call('desk', 'listSessions', {})]);
  return { kind: 'street', leader, sessionId: sessions.items.find((s) => s.current)?.sessionId };
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [printing, setPrinting] = useState<string | null>(printedOrder);

  useEffect(() => {
    const follow = () => setPrinting(printedOrder());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const check = useCallback(async () => {
    try {
      if (!(await hasLoginState())) return setState({ kind: 'login' });
      const [me, sessions] = await Promise.all([call('member', 'me', {}), call('desk', 'listSessions', {})]);
      if (!me) return setState({ kind: 'login' });
      setState({ kind: 'console', me, sessionId: sessions.items.find((s) => s.current)?.sessionId });
    } catch (err) {
      if (err instanceof CloudError && err.code === 'E_FORBIDDEN')
        return setState(await leaderState().catch((): State => ({ kind: 'login' })));
      if (err instanceof CloudError) return setState({ kind: 'login' });
      throw err;
    }
  }, []);

  useEffect(() => {
    void check();
  }, [check]);

  const logout = async () => {
    if ((state.kind === 'console' || state.kind === 'street') && state.sessionId)
      await call('desk', 'endSession', { sessionId: state.sessionId }).catch(() => undefined);
    await signOut().catch(() => undefined);
    setState({ kind: 'login' });
  };

  return (
    <Layout className="app">
      <Layout.Header className="app-header">
        <span className="app-title">{state.kind === 'street' ? '邻里帮 · 街道工作台' : '邻里帮 · 社区工作台'}</span>
        {state.kind === 'street' && (
          <span className="app-user">
            {state.leader.streetName} · {state.leader.name}（只读）
            <Button variant="text" onClick={() => void logout()} className="logout">
              退出登录
            </Button>
          </span>
        )}
        {state.kind === 'console' && (
          <span className="app-user">
            {state.me.communityName} · {state.me.name}
            <Button variant="text" onClick={() => void logout()} className="logout">
              退出登录
            </Button>
          </span>
        )}
      </Layout.Header>
      <Layout.Content className="app-content">
        {state.kind === 'checking' && <Loading className="home-loading" />}
        {state.kind === 'login' && <Login onSignedIn={() => void check()} />}
        {state.kind === 'street' && (
          <Suspense fallback={<Loading className="home-loading" />}>
            <Street />
          </Suspense>
        )}
        {state.kind === 'console' && printing && (
          <PrintView
            orderId={printing}
            communityName={state.me.communityName}
            onBack={() => {
              window.location.hash = '';
            }}
          />
        )}
        {state.kind === 'console' && (
          <Tabs defaultValue="home" className="app-tabs" style={printing ? { display: 'none' } : undefined}>
            <Tabs.TabPanel value="home" label="工作台">
              <Home />
            </Tabs.TabPanel>
            <Tabs.TabPanel value="board" label="派单">
              <Board buildings={state.me.buildings} />
            </Tabs.TabPanel>
            <Tabs.TabPanel value="register" label="房屋台账">
              <Register buildings={state.me.buildings} />
            </Tabs.TabPanel>
            <Tabs.TabPanel value="notices" label="通知" destroyOnHide>
              <Notices buildings={state.me.buildings} />
            </Tabs.TabPanel>
            <Tabs.TabPanel value="members" label="成员审核" destroyOnHide>
              <Members />
            </Tabs.TabPanel>
            <Tabs.TabPanel value="stats" label="统计">
              <Suspense fallback={<Loading className="home-loading" />}>
                <Stats />
              </Suspense>
            </Tabs.TabPanel>
          </Tabs>
        )}
      </Layout.Content>
    </Layout>
  );
}
