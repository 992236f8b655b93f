// desk: the PC console's (社区工作台) login by scan and the worker's console sessions (docs/console.md).
import { createFunction } from '../common/router';
import type { DeskApi } from './api';
import { loginActions } from './login';

export const main = createFunction<DeskApi>('desk', { ...loginActions });
