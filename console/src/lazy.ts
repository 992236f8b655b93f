// A screen loaded on first open, with its stylesheet: the build names each lazy chunk's CSS in
// window.CONSOLE_LAZY_CSS (scripts/build-console.ts), and the link is in place before it renders.
import { lazy, type ComponentType } from 'react';

declare global {
  interface Window {
    CONSOLE_LAZY_CSS?: Record<string, string>;
  }
}

function addStylesheet(href: string): Promise<void> {
  if (document.querySelector(`link[href="${href}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    // A stylesheet that fails leaves the screen unstyled, not missing.
    link.onload = link.onerror = () => resolve();
    document.head.appendChild(link);
  });
}

export function lazyScreen<P extends object>(name: string, load: () => Promise<ComponentType<P>>) {
  return lazy(async () => {
    const css = window.CONSOLE_LAZY_CSS?.[name];
    const [screen] = await Promise.all([load(), css ? addStylesheet(css) : undefined]);
    return { default: screen };
  });
}
