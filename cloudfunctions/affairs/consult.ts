// Residents' consultations (意见征询): one answer per household.
export const consultActions = {};
