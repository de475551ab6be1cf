/** The result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U of the first sample: the pairs (a, b) with a > b, ties counted ½. */
  u: number;
  /** Two-sided p-value: how likely a difference at least this large is when both come from one distribution. */
  pValue: number;
  /** `true` when `pValue` < `alpha`. */
  significant: boolean;
  /** The significance level `pValue` was compared with (0.05 unless given). */
  alpha: number;
  /** `exact` (the distribution of U counted, small samples without ties) or `normal` (tie-corrected, continuity-corrected). */
  method: 'exact' | 'normal';
}

/** Without ties, a sample of at most this many values gets the exact test (scipy's rule)… */
const exactUpTo = 8;
/**
 * …while the count of arrangements stays cheap: it costs about (n1·n2)² steps, so 8 values against a long
 * history would block for seconds (25 s for 8 against 5,000). Past this product the normal approximation,
 * which is accurate there, is used instead.
 */
const exactPairsUpTo = 400;

/**
 * The Mann–Whitney U test (Wilcoxon rank-sum), two-sided, as scipy's `mannwhitneyu(a, b)` computes it by default:
 * exact when either sample has at most 8 values, there are no ties and n1·n2 ≤ 400, else the normal approximation with tie
 * and continuity correction. `alpha` defaults to 0.05. Needs at least one value in each sample (else `pValue` is 1).
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[], alpha = 0.05): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, pValue: 1, significant: false, alpha, method: 'normal' };
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort(
    (x, y) => x.v - y.v,
  );
  // Mid-ranks; the tie term Σ(t³ − t) corrects the variance.
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    for (let k = i; k <= j; k++) if (all[k]!.first) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const big = Math.max(u, n1 * n2 - u);
  let pValue: number;
  let method: MannWhitneyResult['method'];
  if (tieTerm === 0 && Math.min(n1, n2) <= exactUpTo && n1 * n2 <= exactPairsUpTo) {
    method = 'exact';
    pValue = 2 * exactUpperTail(n1, n2, big);
  } else {
    method = 'normal';
    const n = n1 + n2;
    const mean = (n1 * n2) / 2;
    const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    pValue = sd === 0 ? 1 : 2 * normalUpperTail((big - mean - 0.5) / sd);
  }
  pValue = Math.min(1, pValue);
  return { u, pValue, significant: pValue < alpha, alpha, method };
}

/** P(U ≥ u) under the null hypothesis, counting the arrangements of ranks (no ties). */
function exactUpperTail(n1: number, n2: number, u: number): number {
  // N(i, j, k): arrangements of i first-sample and j second-sample values with U = k. The largest value is from
  // the first sample (it beats all j others: U grows by j) or from the second. One column of j kept at a time.
  const max = n1 * n2;
  let prev: Float64Array[] = Array.from({ length: n1 + 1 }, () => unit(true, max));
  for (let j = 1; j <= n2; j++) {
    const row: Float64Array[] = [unit(true, max)];
    for (let i = 1; i <= n1; i++) {
      const cell = new Float64Array(max + 1);
      const fromFirst = row[i - 1]!;
      const fromSecond = prev[i]!;
      for (let k = 0; k <= max; k++) {
        cell[k] = fromSecond[k]! + (k >= j ? fromFirst[k - j]! : 0);
      }
      row.push(cell);
    }
    prev = row;
  }
  const counts = prev[n1]!;
  let total = 0;
  let tail = 0;
  for (let k = 0; k <= max; k++) {
    total += counts[k]!;
    if (k >= u) tail += counts[k]!;
  }
  return tail / total;
}

function unit(one: boolean, max: number): Float64Array {
  const row = new Float64Array(max + 1);
  if (one) row[0] = 1;
  return row;
}

/** P(Z > z) of the standard normal distribution (complementary error function, |error| < 1.2e-7). */
export function normalUpperTail(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
}

// Numerical Recipes' erfc (Chebyshev fit), relative error below 1.2e-7 everywhere.
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + z / 2);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
