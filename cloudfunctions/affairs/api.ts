// The affairs function's contract: payload schemas and answer types, merged from one file per
// part so the parts grow apart: topics (议题, api-topics.ts), the register of exclusive parts and
// owners' votes (api-votes.ts), residents' consultations (api-consult.ts). The mini-program imports
// these types with `import type`; zod itself never ships to the client.
import { consultSchemas, type ConsultApi } from './api-consult';
import { registerSchemas, type RegisterApi } from './api-register';
import { topicSchemas, type TopicsApi } from './api-topics';
import { voteSchemas, type VotesApi } from './api-votes';

// Types only: the tests find the one …Schemas object of this file.
export type * from './api-consult';
export type * from './api-register';
export type * from './api-topics';
export type * from './api-votes';

export const affairsSchemas = { ...topicSchemas, ...voteSchemas, ...registerSchemas, ...consultSchemas };

export type AffairsApi = TopicsApi & VotesApi & RegisterApi & ConsultApi;
