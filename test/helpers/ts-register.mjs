// `node --import ./test/helpers/ts-register.mjs script.ts` runs TypeScript (ts-hooks.mjs).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
