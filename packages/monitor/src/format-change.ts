/** A change in percent, signed and rounded: `+40 %`, `-5 %`, `±0 %`. */
export function formatChange(percent: number): string {
  const rounded = Math.round(percent);
  if (rounded === 0) return '±0 %';
  return `${rounded > 0 ? '+' : ''}${rounded} %`;
}
