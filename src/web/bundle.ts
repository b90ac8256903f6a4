// What a browser downloads before the first page shows: the JavaScript index.html loads (its module scripts and
// modulepreloads) and every chunk those import statically, measured gzip-compressed as a server would send it.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Chunk {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** The budget for the first load (issue #9): 500 KB of gzip-compressed JavaScript. */
export const FIRST_LOAD_BUDGET = 500_000;

export function initialJavaScript(distDir: string): Chunk[] {
  const html = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const entries = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((match) => match[1]!.replace(/^\//, ''));
  const seen = new Set<string>();
  const chunks: Chunk[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(path.join(distDir, file));
    chunks.push({ file, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length });
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`); `import("./x.js")` loads later.
    for (const match of code.toString('utf8').matchAll(/(?:from|import)\s*["'](\.\.?\/[^"']+\.js)["']/g))
      visit(path.posix.join(path.posix.dirname(file), match[1]!));
  };
  for (const entry of entries) visit(entry);
  return chunks;
}
