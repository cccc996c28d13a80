import type { AuditExport, AuditReport } from '../../preload/api/schemas/audit';
import { neutralizeFormula } from '../import/error-report';

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (as the import's error report). */
function csvCell(value: string | number): string {
  const text = neutralizeFormula(String(value));
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COLUMNS = ['severity', 'kind', 'title', 'explanation', 'concerns', 'concern count', 'fix', 'finding id'];

/** The findings as CSV: one line per finding, the records it concerns as "label (reference)" joined by "; ". */
export function auditCsv(report: AuditReport): AuditExport {
  const lines = [COLUMNS.join(',')];
  for (const f of report.findings) {
    lines.push(
      [f.severity, f.kind, f.title, f.explanation, f.concerns.map((c) => `${c.label} (${c.reference})`).join('; '), f.concernCount, f.fix.title, f.id].map(csvCell).join(','),
    );
  }
  return { fileName: `access-audit-${report.ranAt.slice(0, 10)}.csv`, mimeType: 'text/csv', content: `${lines.join('\r\n')}\r\n` };
}

/**
 * The run's time as the console says times ("Dec 1, 2026, 12:12", 24-hour, renderer/src/history/when.ts),
 * always with the year: a printed report outlives the year it was made in.
 */
const RUN_TIME = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function formatRunTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : RUN_TIME.format(date);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A printable page (window.print gives the PDF): every value escaped, no script, no outside resource. */
export function auditHtml(report: AuditReport): AuditExport {
  const e = escapeHtml;
  const rows = report.findings
    .map(
      (f) => `<section class="finding ${e(f.severity)}"><h2><span class="sev">${e(f.severity)}</span> ${e(f.title)}</h2><p>${e(f.explanation)}</p>` +
        `<p class="concerns"><strong>Concerns (${f.concernCount}):</strong> ${f.concerns.map((c) => `${e(c.label)} <code>${e(c.reference)}</code>`).join(', ')}${f.concernCount > f.concerns.length ? ', …' : ''}</p>` +
        `<p><strong>Fix:</strong> ${e(f.fix.title)}. ${e(f.fix.explains)}</p>${f.fix.steps.length ? `<ol>${f.fix.steps.map((s) => `<li>${e(s)}</li>`).join('')}</ol>` : ''}</section>`,
    )
    .join('\n');
  const content = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Access audit – ${e(report.projectName)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#111}h1{font-size:20px}h2{font-size:15px;margin:0 0 .3em}.finding{border-left:4px solid #999;padding:.4em .8em;margin:1em 0;break-inside:avoid}.critical{border-color:#c00}.warning{border-color:#d80}.notice{border-color:#36c}.sev{text-transform:uppercase;font-size:11px}code{font-size:12px}</style></head>
<body><h1>Access audit of ${e(report.projectName)}</h1><p>Run ${e(formatRunTime(report.ranAt))} · ${report.counts.critical} critical, ${report.counts.warning} warnings, ${report.counts.notice} notices · ${report.scanned.clinics} clinics, ${report.scanned.memberships} memberships, ${report.scanned.patients} patients, ${report.scanned.records} records read in ${report.requests} requests.</p>
${report.findings.length ? rows : '<p>No findings.</p>'}</body></html>`;
  return { fileName: `access-audit-${report.ranAt.slice(0, 10)}.html`, mimeType: 'text/html', content };
}
