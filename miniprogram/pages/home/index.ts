// 首页: placeholder until the service menu (packages/orders) lands.
import { openPage } from '../../utils/nav';

Component({
  data: {},
  methods: {
    onLoad() {},

    onOpenParking() {
      openPage('/packages/parking/find/index');
    },
  },
});
