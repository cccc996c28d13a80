/**
 * Finds the line and column where each value of a JSON text starts, by its path, so a problem
 * in a configuration file can say "line 12". Only called on text JSON.parse already accepted.
 */
export interface TextPosition {
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** Maps each value's path (keys and indexes joined with "/") to the offset where it starts. */
export function jsonValueOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let index = 0;
  const skipSpace = () => {
    while (index < text.length && /\s/.test(text[index] as string)) index++;
  };
  const readString = (): string => {
    const start = index;
    index++;
    while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
    index++;
    return JSON.parse(text.slice(start, index)) as string;
  };
  const readValue = (path: string): void => {
    skipSpace();
    offsets.set(path, index);
    const char = text[index];
    if (char === '{') {
      index++;
      skipSpace();
      while (text[index] !== '}' && index < text.length) {
        skipSpace();
        const key = readString();
        skipSpace();
        index++; // the colon
        readValue(path ? `${path}/${key}` : key);
        skipSpace();
        if (text[index] === ',') index++;
        skipSpace();
      }
      index++;
    } else if (char === '[') {
      index++;
      skipSpace();
      let item = 0;
      while (text[index] !== ']' && index < text.length) {
        readValue(path ? `${path}/${item}` : String(item));
        item++;
        skipSpace();
        if (text[index] === ',') index++;
        skipSpace();
      }
      index++;
    } else if (char === '"') {
      readString();
    } else {
      while (index < text.length && !/[\s,\]}]/.test(text[index] as string)) index++;
    }
  };
  readValue('');
  return offsets;
}
