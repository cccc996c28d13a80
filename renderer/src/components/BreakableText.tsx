import { Fragment } from 'react';

/**
 * An email or web address that may wrap only at its natural break points (after "@", ".", "/"),
 * never in the middle of a word.
 */
export function BreakableText({ text }: { text: string }) {
  const parts = text.split(/(?<=[@./])/);
  return (
    <span style={{ overflowWrap: 'break-word' }}>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </span>
  );
}
