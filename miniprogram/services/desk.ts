// Typed client of the `desk` cloud function (docs/console.md): the worker confirms a console's
// login by scan, lists the consoles signed in and ends them.
import type { DeskApi } from '../../cloudfunctions/desk/api';
import { client } from './core';

export type { ConsoleSession, LoginView } from '../../cloudfunctions/desk/api';

const desk = client<DeskApi>('desk');

export const deskService = {
  viewLogin: (sessionId: string) => desk('viewLogin', { sessionId }),
  confirmLogin: (sessionId: string) => desk('confirmLogin', { sessionId }),
  listSessions: async () => (await desk('listSessions', {})).items,
  endSession: (sessionId: string) => desk('endSession', { sessionId }),
};
