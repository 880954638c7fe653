/** Offers exported text as a file download, named after the conversation. */
export function saveExport(title: string, format: 'md' | 'json', text: string): void {
  const base =
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 60) || 'conversation';
  const blob = new Blob([text], {
    type: format === 'md' ? 'text/markdown;charset=utf-8' : 'application/json',
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${base}.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by now; the address is not needed again.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
