import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mimeTypeOf, resolveAppAsset } from '../../../main/security/app-protocol';

const root = path.resolve('/opt/mso/renderer');

describe('app:// protocol', () => {
  it('serves index.html for the root and files under the renderer folder', () => {
    expect(resolveAppAsset(root, 'app://mso/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://mso/assets/index-1.js')).toBe(path.join(root, 'assets/index-1.js'));
  });

  it('never resolves outside the renderer folder', () => {
    for (const url of [
      'app://mso/../../etc/passwd',
      'app://mso/%2e%2e/%2e%2e/etc/passwd',
      'app://mso/..%2f..%2fetc%2fpasswd',
      'app://mso/assets/%00.js',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://mso/%E0%A4%A',
    ]) {
      const resolved = resolveAppAsset(root, url);
      if (resolved !== null) expect(resolved.startsWith(root + path.sep)).toBe(true);
      else expect(resolved).toBeNull();
    }
    expect(resolveAppAsset(root, 'app://mso/..%2f..%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppAsset(root, 'file:///etc/passwd')).toBeNull();
  });

  it('names the content type of what it serves', () => {
    expect(mimeTypeOf('a/index.html')).toContain('text/html');
    expect(mimeTypeOf('a/x.js')).toContain('javascript');
    expect(mimeTypeOf('a/x.bin')).toBe('application/octet-stream');
  });
});
