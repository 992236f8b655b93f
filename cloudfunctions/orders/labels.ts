// Order states, tiers, lights, steps and their labels are defined once, in the module the
// mini-program shares with the functions; the orders function keeps importing them from here.
export * from '../../miniprogram/shared/order-labels';
