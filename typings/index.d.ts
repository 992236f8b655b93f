// Global declarations only. Domain types are imported explicitly from the functions' contracts.

/** The mini-program's App instance as pages see it through getApp<IAppOption>(). */
interface IAppOption {
  globalData: {
    /**
     * Bumped whenever the caller's membership changes on this device (joined, switched
     * community), so tab pages know their cached view is stale.
     */
    membershipVersion: number;
    /**
     * Set by a page that opens the 订单 tab on a given list (switchTab carries no query): the
     * hall's 「我服务过的订单」 asks for 'volunteer'. The tab takes it once on its next show.
     */
    ordersMode?: 'resident' | 'volunteer';
  };
}
