import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chunk, FIRST_LOAD_BUDGET, initialJavaScript } from './bundle';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the web app’s first load', () => {
  let outDir: string;
  let chunks: Chunk[];
  beforeAll(async () => {
    // Built from the sources here, not whatever dist/ holds: the budget applies to this commit.
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-bundle-'));
    await build({
      configFile: path.join(here, 'vite.config.ts'),
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    chunks = initialJavaScript(outDir);
  }, 180_000);
  afterAll(() => {
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('downloads at most 500 KB of JavaScript, gzip-compressed, before the first page shows', () => {
    const total = chunks.reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
    expect(chunks.length).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(50_000); // the measurement found React and USWDS, not an empty file
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET);
  });

  it('leaves the dashboard and its map geometry out of the first load', () => {
    const lazy = fs
      .readdirSync(path.join(outDir, 'assets'))
      .filter((file) => /^NationalDashboard-.*\.js$/.test(file));
    expect(lazy).toHaveLength(1);
    expect(chunks.map((chunk) => chunk.file)).not.toContain(`assets/${lazy[0]}`);
  });

  it('counts the chunks an entry imports statically, and not the ones it imports on demand', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whereabouts-chunks-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      '<script type="module" crossorigin src="/assets/entry.js"></script>',
    );
    fs.writeFileSync(
      path.join(dir, 'assets/entry.js'),
      'import{a}from"./shared.js";import("./later.js");a()',
    );
    fs.writeFileSync(path.join(dir, 'assets/shared.js'), 'import"./entry.js";export const a=()=>1');
    fs.writeFileSync(path.join(dir, 'assets/later.js'), 'export default 2');
    expect(initialJavaScript(dir).map((chunk) => chunk.file)).toEqual([
      'assets/entry.js',
      'assets/shared.js',
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
