/**
 * The UI's Content Security Policy. Scripts only from our own origin; styles may be inline
 * because Mantine writes its CSS variables into style attributes; the renderer makes no
 * network requests of its own (Medplum traffic goes through main), so connect-src is 'self'.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
].join('; ');

/**
 * Only for `npm run dev` (Vite's dev server): React Fast Refresh injects an inline script and
 * hot reload talks over a WebSocket. Never used for a built or packaged app.
 */
export const developmentContentSecurityPolicy = contentSecurityPolicy
  .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
  .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*");
