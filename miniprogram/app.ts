import { initServices } from './services/core';

App<IAppOption>({
  globalData: {
    membershipVersion: 0,
  },
  onLaunch() {
    initServices();
  },
});
