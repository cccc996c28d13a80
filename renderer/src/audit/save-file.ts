/**
 * Hands a file main made to the browser's download (Electron asks where to save it). The content
 * is main's, as it sent it; the renderer adds nothing to it.
 */
export function saveFile(file: { fileName: string; mimeType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: `${file.mimeType};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, so the download has its data.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
