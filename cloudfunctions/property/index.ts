// property (评星定级): the community's property company serves repairs and complaints through the
// order loop (orders with `servedBy: 'property'`); households rate it once a month; its monthly
// grade combines the ratings with its on-time, complaint and rework rates; a red light records a
// warning and the 约谈 that follows; its grades by month are its credit file. The action table;
// handlers by group. Rules: docs/property.md.
import { createFunction } from '../common/router';
import type { PropertyApi } from './api';
import { companyActions } from './company';
import { gradeActions } from './grades';
import { ratingActions } from './ratings';
import { warningActions } from './warnings';

export const main = createFunction<PropertyApi>('property', {
  ...companyActions,
  ...ratingActions,
  ...gradeActions,
  ...warningActions,
});
