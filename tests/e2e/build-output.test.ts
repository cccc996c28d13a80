/**
 * What the build produced (npm test builds before the end-to-end layer): a sandboxed preload can
 * require nothing but electron, and the UI page carries its CSP.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('build output', () => {
  it('the preload bundle requires only electron (a sandboxed preload cannot load anything else)', async () => {
    const preload = await readFile('out/preload/index.js', 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('exposeInMainWorld');
    expect(preload).not.toMatch(/exposeInMainWorld\(["']ipcRenderer/);
  });

  it('the UI page has a strict Content Security Policy and loads only its own scripts', async () => {
    const html = await readFile('out/renderer/index.html', 'utf8');
    expect(html).toContain('http-equiv="Content-Security-Policy"');
    expect(html).toContain("script-src 'self'");
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(src).toMatch(/^\.\/assets\//);
  });
});
