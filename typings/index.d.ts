// Global declarations only. Domain types are imported explicitly from the functions' contracts.

/** The mini-program's App instance as pages see it through getApp<IAppOption>(). */
interface IAppOption {
  globalData: {
    /**
     * Bumped whenever the caller's membership changes on this device (joined, switched
     * community), so tab pages know their cached view is stale.
     */
    membershipVersion: number;
  };
}
