#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the TypeScript sources directly (tsx), so the command works right after `npm ci`. The young generation is
// made larger than V8's default (docs/decisions/0017): the server allocates a case file's objects per request.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
