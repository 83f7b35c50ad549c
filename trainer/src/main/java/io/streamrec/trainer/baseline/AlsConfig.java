package io.streamrec.trainer.baseline;

/**
 * Hyperparameters of {@link ImplicitAls}, in the formulation of Rendle, Krichene, Zhang and Koren, "Revisiting the
 * Performance of iALS on Item Recommendation Benchmarks" (RecSys 2022). The objective over users 1..U and items
 * 1..N, with {@code S} the distinct observed (user, item) pairs, is
 * <pre>
 *   L(W, H) = Σ_{(u,i) ∈ S} (1 − ⟨w_u, h_i⟩)²  +  α0 Σ_u Σ_i ⟨w_u, h_i⟩²
 *           + λ ( Σ_u (|I_u| + α0 N)^ν ‖w_u‖²  +  Σ_i (|U_i| + α0 U)^ν ‖h_i‖² )
 * </pre>
 * so ν = 0 is plain L2 and ν = 1 scales each row's penalty with the weight its own loss terms carry, which keeps
 * one λ right for heavy and light users alike.
 *
 * @param factors                embedding dimension d
 * @param regularization         λ, strictly positive so every normal-equation system is positive definite
 * @param regularizationExponent ν in [0, 1]: 0 = plain, 1 = frequency-scaled regularisation
 * @param unobservedWeight       α0 ≥ 0, the weight of the squared score of every (user, item) pair
 * @param iterations             alternations (an item step, then a user step); an upper bound when the caller
 *                               stops early
 * @param initStd                initial user factors are drawn from N(0, initStd² / d), so the spread of the
 *                               first scores does not depend on d; the item factors need no initialisation
 *                               because each iteration solves them first
 * @param historyLength          history items {@link ImplicitAls#historyLength()} asks for: users unknown to the
 *                               model are folded in from them
 * @param seed                   seed of the initial user factors
 */
public record AlsConfig(
        int factors,
        double regularization,
        double regularizationExponent,
        double unobservedWeight,
        int iterations,
        double initStd,
        int historyLength,
        long seed) {

    /** Validates the ranges. */
    public AlsConfig {
        if (factors < 1 || iterations < 1 || historyLength < 0) {
            throw new IllegalArgumentException("invalid ALS config: factors, iterations >= 1 and historyLength >= 0");
        }
        if (!(regularization > 0) || Double.isInfinite(regularization)
                || !(regularizationExponent >= 0 && regularizationExponent <= 1)
                || !(unobservedWeight >= 0) || Double.isInfinite(unobservedWeight)
                || !(initStd > 0) || Double.isInfinite(initStd)) {
            throw new IllegalArgumentException("invalid ALS config: need regularization > 0, exponent in [0, 1], "
                    + "unobservedWeight >= 0 and initStd > 0, all finite");
        }
    }

    /**
     * The best validation HR@10 on MovieLens-1M's NCF split over d ∈ {64, 128}, λ ∈ {0.001, 0.003, 0.01} and
     * α0 ∈ {0.1, 0.3, 1} with ν = 1, iterations chosen by early stopping (ImplicitAlsMovieLensTest; test HR@10 0.727,
     * NDCG@10 0.446). It sits at the grid's corner, but its neighbours are within the validation noise (±0.006).
     */
    public static AlsConfig defaults() {
        return new AlsConfig(128, 0.01, 1.0, 0.1, 4, 0.1, 50, 1L);
    }

    /** With another embedding dimension. */
    public AlsConfig withFactors(int value) {
        return new AlsConfig(value, regularization, regularizationExponent, unobservedWeight, iterations, initStd,
                historyLength, seed);
    }

    /** With another λ. */
    public AlsConfig withRegularization(double value) {
        return new AlsConfig(factors, value, regularizationExponent, unobservedWeight, iterations, initStd,
                historyLength, seed);
    }

    /** With another ν (0 = plain, 1 = frequency-scaled). */
    public AlsConfig withRegularizationExponent(double value) {
        return new AlsConfig(factors, regularization, value, unobservedWeight, iterations, initStd, historyLength,
                seed);
    }

    /** With another α0. */
    public AlsConfig withUnobservedWeight(double value) {
        return new AlsConfig(factors, regularization, regularizationExponent, value, iterations, initStd,
                historyLength, seed);
    }

    /** With another iteration count. */
    public AlsConfig withIterations(int value) {
        return new AlsConfig(factors, regularization, regularizationExponent, unobservedWeight, value, initStd,
                historyLength, seed);
    }

    /** With another initial spread. */
    public AlsConfig withInitStd(double value) {
        return new AlsConfig(factors, regularization, regularizationExponent, unobservedWeight, iterations, value,
                historyLength, seed);
    }

    /** With another history length for folding in unknown users. */
    public AlsConfig withHistoryLength(int value) {
        return new AlsConfig(factors, regularization, regularizationExponent, unobservedWeight, iterations, initStd,
                value, seed);
    }

    /** With another seed. */
    public AlsConfig withSeed(long value) {
        return new AlsConfig(factors, regularization, regularizationExponent, unobservedWeight, iterations, initStd,
                historyLength, value);
    }

    /** The penalty weight of a row with {@code observed} loss terms whose other side has {@code otherSide} rows. */
    double rowPenalty(int observed, int otherSide) {
        double weight = observed + unobservedWeight * otherSide;
        return regularization * (regularizationExponent == 0 ? 1 : Math.pow(weight, regularizationExponent));
    }
}
