// tdesign's t-steps numbers and colours its t-step-item children through component relations.
// The harness loads each tdesign component with its own simulate.load(), so the relation between
// the two never links (simulate resolves relation paths only within one load), and every step
// would show as step 1 with no state. The preview links them by hand, as the framework would.

interface ExparserNode {
  __methodCaller?: WechatMiniprogram.IAnyObject;
  shadowRoot?: ExparserNode;
  childNodes?: ExparserNode[];
}

function walk(node: ExparserNode, visit: (n: ExparserNode) => void) {
  visit(node);
  for (const child of node.shadowRoot?.childNodes ?? []) walk(child, visit);
  for (const child of node.childNodes ?? []) walk(child, visit);
}

const isSteps = (c: WechatMiniprogram.IAnyObject | undefined) =>
  !!c && typeof c.updateChildren === 'function' && c.data?.classPrefix === 't-steps';
const isStepItem = (c: WechatMiniprogram.IAnyObject | undefined) =>
  !!c && typeof c.updateStatus === 'function' && c.data?.classPrefix === 't-steps-item';

/** Links every t-steps of a rendered page to its t-step-items and lets it number them. */
export function linkSteps(root: ExparserNode): number {
  let linked = 0;
  walk(root, (node) => {
    const steps = node.__methodCaller;
    if (node.__methodCaller === undefined || !isSteps(steps)) return;
    const items: WechatMiniprogram.IAnyObject[] = [];
    for (const child of node.childNodes ?? []) {
      walk(child, (n) => {
        if (isStepItem(n.__methodCaller) && !items.includes(n.__methodCaller!)) items.push(n.__methodCaller!);
      });
    }
    if (!items.length) return;
    // tdesign's `$children` is a getter over getRelationNodes().
    steps!.getRelationNodes = () => items;
    for (const item of items) item.setData({ readonly: steps!.data.readonly });
    steps!.updateChildren();
    linked += items.length;
  });
  return linked;
}
