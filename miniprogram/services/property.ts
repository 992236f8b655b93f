// Typed client of the `property` cloud function (评星定级, docs/property.md): the company, the
// household's monthly rating, the published grades (credit file), and the workers' preview,
// publishing, warnings and 约谈.
import type { Dimension, PropertyApi, TalkOutcome } from '../../cloudfunctions/property/api';
import { client } from './core';

export type {
  CompanyView,
  Dimension,
  GradeView,
  MyRatingView,
  TalkOutcome,
  WarningView,
} from '../../cloudfunctions/property/api';

const property = client<PropertyApi>('property');

export const propertyService = {
  company: async () => (await property('company', {})).company,
  myRating: () => property('myRating', {}),
  rate: (scores: Record<Dimension, number>, comment?: string) => property('rate', { scores, ...(comment ? { comment } : {}) }),
  grade: async (month?: string) => (await property('grade', month ? { month } : {})).grade,
  credit: (page = 1) => property('credit', page > 1 ? { page } : {}),
  preview: (month: string) => property('preview', { month }),
  publish: (month: string) => property('publish', { month }),
  warnings: (page = 1) => property('warnings', page > 1 ? { page } : {}),
  recordTalk: (input: { warningId: string; talkDate: string; attendees: string; summary: string; outcome: TalkOutcome }) =>
    property('recordTalk', input),
};
