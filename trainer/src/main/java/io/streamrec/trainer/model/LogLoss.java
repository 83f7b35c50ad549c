package io.streamrec.trainer.model;

/** Binary cross-entropy on logits ({@code sigmoid} folded in for numerical stability). Stateless. */
final class LogLoss {

    private LogLoss() {}

    /**
     * Writes {@code scale · (σ(logit) − label)} to {@code dLogit} and returns the summed loss
     * {@code Σ −[y log σ(l) + (1 − y) log(1 − σ(l))]} (unscaled).
     */
    static double forwardBackward(float[] logit, float[] label, float[] dLogit, int n, float scale) {
        double loss = 0;
        for (int i = 0; i < n; i++) {
            float l = logit[i];
            float y = label[i];
            loss += Math.max(l, 0f) - l * y + Math.log1p(Math.exp(-Math.abs(l)));
            float p = (float) (1.0 / (1.0 + Math.exp(-l)));
            dLogit[i] = scale * (p - y);
        }
        return loss;
    }
}
