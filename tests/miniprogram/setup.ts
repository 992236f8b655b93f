// setupFiles of the `miniprogram` jest project (jsdom): the globals the mini-program framework
// provides and miniprogram-simulate does not.

interface HarnessGlobals {
  __app?: WechatMiniprogram.IAnyObject;
  __pages: WechatMiniprogram.IAnyObject[];
  App: (options: WechatMiniprogram.IAnyObject) => void;
  getApp: () => WechatMiniprogram.IAnyObject;
  getCurrentPages: () => WechatMiniprogram.IAnyObject[];
}
const globals = globalThis as unknown as HarnessGlobals;

globals.__pages = [];

// App(): keep the options object as the app instance, as the framework does.
globals.App = (options) => {
  globals.__app = options;
};

// tdesign calls getApp() while its modules load, before any App() ran.
globals.getApp = () => globals.__app ?? { globalData: { membershipVersion: 0 } };

// The page stack; tests/helpers/miniprogram.ts pushes each rendered page.
globals.getCurrentPages = () => globals.__pages.slice();

// The cloud functions run in this process, and @cloudbase/node-sdk talks HTTP to the local cloud
// through axios, which picks its XHR adapter whenever XMLHttpRequest exists. jsdom's XHR applies
// browser CORS rules to that server-side traffic; without it axios uses Node's http, as in
// CloudBase. Pages never use XHR (wx.request is the only network API they have).
delete (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest;
