/** The Nocturne crescent; decorative, since the product name always sits next to it. */
export function MoonMark() {
  return (
    <svg
      className="moon-mark"
      viewBox="0 0 32 32"
      width="28"
      height="28"
      aria-hidden="true"
      focusable="false"
    >
      <circle className="moon-mark__halo" cx="16" cy="16" r="15" />
      <path className="moon-mark__crescent" d="M20.5 6.2a10.5 10.5 0 1 0 5.3 14.6A8.6 8.6 0 0 1 20.5 6.2Z" />
      <circle className="moon-mark__star" cx="23.5" cy="9" r="1.3" />
    </svg>
  );
}
