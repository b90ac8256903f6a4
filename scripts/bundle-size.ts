// Prints the JavaScript the web app's first load downloads, gzip-compressed (`npm run size:web` builds first).
import path from 'node:path';
import { FIRST_LOAD_BUDGET, initialJavaScript } from '../src/web/bundle';

const chunks = initialJavaScript(path.resolve('dist/web'));
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
for (const chunk of chunks) console.log(`${chunk.file}\t${kb(chunk.bytes)}\t${kb(chunk.gzipBytes)} gzip`);
const total = chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
console.log(`first load: ${kb(total)} of JavaScript, gzip (budget ${kb(FIRST_LOAD_BUDGET)})`);
if (total > FIRST_LOAD_BUDGET) process.exit(1);
