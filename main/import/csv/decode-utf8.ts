/**
 * Bytes to text for roster files: UTF-8 only, a byte-order mark dropped, and invalid UTF-8
 * reported with the physical line it is on (the spec's rule), streamed chunk by chunk.
 */
import { isUtf8 } from 'node:buffer';
import { RosterFileError } from '../roster/roster-file-error';

/** How many bytes at the end of `bytes` start a multi-byte sequence that the next chunk completes. */
function incompleteTailLength(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? back : 0;
  }
  return 0;
}

function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, end);
  let count = 0;
  for (let at = view.indexOf(0x0a); at >= 0; at = view.indexOf(0x0a, at + 1)) count++;
  return count;
}

/** The index of the first byte that does not start a valid UTF-8 sequence (the slow path, after isUtf8 said no). */
function firstInvalidByte(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] as number;
    if (lead < 0x80) {
      index++;
      continue;
    }
    const continuations = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (continuations === 0) return index;
    const second = bytes[index + 1] ?? 0;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second > 0x9f) || (lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second > 0x8f)) {
      return index;
    }
    for (let offset = 1; offset <= continuations; offset++) {
      if (((bytes[index + offset] ?? 0) & 0xc0) !== 0x80) return index;
    }
    index += continuations + 1;
  }
  return bytes.length;
}

export async function* decodeUtf8(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let carry: Uint8Array = new Uint8Array(0);
  let linesBefore = 0;
  let first = true;
  for await (const chunk of chunks) {
    let bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    if (first && bytes.length < 3) {
      carry = bytes;
      continue;
    }
    if (first) {
      first = false;
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new RosterFileError('The file is in UTF-16, not UTF-8. Save it as “CSV UTF-8” from your spreadsheet and try again.', { line: 1 });
      }
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const tail = incompleteTailLength(bytes);
    const complete = bytes.subarray(0, bytes.length - tail);
    carry = bytes.slice(bytes.length - tail);
    if (!isUtf8(complete)) {
      const at = firstInvalidByte(complete);
      throw new RosterFileError(
        `Line ${linesBefore + countNewlines(complete, at) + 1} is not valid UTF-8. Save the file as “CSV UTF-8” from your spreadsheet and try again.`,
        { line: linesBefore + countNewlines(complete, at) + 1 },
      );
    }
    linesBefore += countNewlines(complete);
    if (complete.length) yield decoder.decode(complete, { stream: true });
  }
  if (first && carry.length >= 3 && carry[0] === 0xef && carry[1] === 0xbb && carry[2] === 0xbf) carry = carry.subarray(3);
  if (carry.length) {
    if (!isUtf8(carry)) {
      throw new RosterFileError(`Line ${linesBefore + 1} is not valid UTF-8. Save the file as “CSV UTF-8” from your spreadsheet and try again.`, {
        line: linesBefore + 1,
      });
    }
    yield decoder.decode(carry);
  }
}
