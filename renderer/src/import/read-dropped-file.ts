/** A dropped file's bytes as base64, for `stageImportFile` (main takes bytes, never a path). */
import { MAX_STAGED_BYTES } from '../../../preload/api/schemas/import';

export class DroppedFileTooLarge extends Error {
  constructor() {
    super(`A dropped file may be at most ${MAX_STAGED_BYTES / 1024 / 1024} MiB. Choose it with “Choose file…” instead.`);
    this.name = 'DroppedFileTooLarge';
  }
}

export function readAsBase64(file: Blob): Promise<string> {
  if (file.size > MAX_STAGED_BYTES) return Promise.reject(new DroppedFileTooLarge());
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    // A data URL is the browser's own base64 encoder: "data:<type>;base64,<bytes>".
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.readAsDataURL(file);
  });
}
