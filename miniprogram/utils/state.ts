// Per-instance state that the view does not render: kept out of `data`, so it never travels
// through setData. `const state = privateState(() => ({ page: 1 }))`, then `state(this).page`.
export function privateState<S extends object>(init: () => S): (host: object) => S {
  const states = new WeakMap<object, S>();
  return (host) => {
    let s = states.get(host);
    if (!s) {
      s = init();
      states.set(host, s);
    }
    return s;
  };
}
