// Shows what went wrong with a tdesign Toast. Every page that calls a service puts
// `<t-toast id="t-toast" />` in its template.
import { isServiceError } from './core';
import { elderNow } from '../utils/elder';

/** The Chinese sentence to show for any failure. */
export function errorMessage(err: unknown): string {
  if (isServiceError(err)) return err.message;
  console.error('[feedback] unexpected error', err);
  return '系统繁忙，请稍后再试';
}

type Host = WechatMiniprogram.Component.TrivialInstance | WechatMiniprogram.Page.TrivialInstance;

interface ToastComponent {
  show(options: { message: string; theme?: string; duration?: number; direction?: string }): void;
}

function toast(host: Host, message: string, theme: 'error' | 'success' | 'warning', duration: number): void {
  if (elderNow()) {
    // 长辈模式: nothing disappears on a timer (规范: enough time; docs/elder-mode.md): the message
    // stays until the person taps 知道了.
    void wx.showModal({
      title: theme === 'success' ? '办好了' : '没有办成',
      content: message,
      showCancel: false,
      confirmText: '知道了',
    });
    return;
  }
  const node = host.selectComponent('#t-toast') as unknown as ToastComponent | null;
  if (node && typeof node.show === 'function') {
    node.show({ message, theme, duration, direction: 'column' });
  } else {
    // A page without the toast component still tells the person something.
    wx.showToast({ title: message, icon: theme === 'success' ? 'success' : 'none', duration });
  }
}

/** Shows a failed call; long enough to read slowly. Answers the message shown. */
export function showError(host: Host, err: unknown): string {
  const message = errorMessage(err);
  toast(host, message, 'error', 3500);
  return message;
}

export function showSuccess(host: Host, message: string): void {
  toast(host, message, 'success', 2000);
}
