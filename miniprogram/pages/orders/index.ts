// 订单: placeholder until the order pages (packages/orders) land.
Component({
  data: {},
  methods: {
    onLoad() {},
  },
});
