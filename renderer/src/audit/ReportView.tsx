import { useEffect, useRef } from 'react';

/**
 * Main's printable report (escaped HTML with its own styles) drawn inside a shadow root, so its
 * styles never reach the console's and the console's never reach it.
 */
export function ReportView({ html, testId }: { html: string; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    root.innerHTML = html;
  }, [html]);
  return <div ref={host} data-testid={testId} />;
}
