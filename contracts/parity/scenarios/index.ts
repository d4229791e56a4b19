// The scenarios parity runs, in this order (`--scenario a,b` picks some).
import apiKeys from './api-keys.ts';
import blocks from './blocks.ts';
import dmShortcut from './dm-shortcut.ts';
import editsDeletes from './edits-deletes.ts';
import errors from './errors.ts';
import history from './history.ts';
import quickstart from './quickstart.ts';
import type { Scenario } from './scenario.ts';
import tokens from './tokens.ts';

export const SCENARIOS: Scenario[] = [quickstart, dmShortcut, apiKeys, tokens, blocks, history, editsDeletes, errors];
export type { Scenario };
