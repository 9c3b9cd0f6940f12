/**
 * A recovery phrase as a numbered grid. The numbers are the list's own (an <ol>), so the text of each
 * item is the word alone and a screen reader hears "1, apple".
 */
export function RecoveryWords({ words, labelledBy }: { words: readonly string[]; labelledBy: string }) {
  return (
    <ol className="wallet-words" aria-labelledby={labelledBy}>
      {words.map((word, index) => (
        // The phrase may repeat a word, so the position is the key.
        <li key={index} className="wallet-words__word">
          {word}
        </li>
      ))}
    </ol>
  );
}
