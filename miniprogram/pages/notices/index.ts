// 通知: placeholder until the notice pages (packages/notices) land.
Component({
  data: {},
  methods: {
    onLoad() {},
  },
});
