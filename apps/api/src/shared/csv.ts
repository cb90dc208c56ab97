/** RFC 4180 CSV. Cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
export function toCsv(header: string[], rows: Array<Array<unknown>>): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n']/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export const wantsCsv = (accept: string | undefined) => !!accept && /text\/csv/i.test(accept) && !/application\/json/i.test(accept.split(',')[0] ?? '');
