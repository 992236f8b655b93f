// 首页: placeholder until the service menu (packages/orders) lands.
Component({
  data: {},
  methods: {
    onLoad() {},
  },
});
