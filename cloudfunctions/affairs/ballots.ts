// Ballots: cast (one per owner per vote, final), proxy ballots, receipts.
export const ballotActions = {};
