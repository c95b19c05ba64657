package org.nextscale.core.config;

/**
 * Every hyperparameter of the VAR transformer (reference models/var.py).
 *
 * @param numClasses  number of classes; the class embedding has one more row (the unconditional class)
 * @param depth       number of transformer blocks
 * @param embedDim    width C
 * @param numHeads    attention heads; head dim = C / numHeads
 * @param mlpRatio    MLP hidden width = round(C * mlpRatio)
 * @param normEps     layer-norm epsilon
 * @param sharedAln   one AdaLN projection for all blocks (shared_ada_lin) instead of one per block
 * @param attnL2Norm  cosine attention with a clamped learnable scale
 * @param condDropRate class-label dropout during training (labels replaced by the unconditional class)
 */
public record VarConfig(
        int numClasses,
        int depth,
        int embedDim,
        int numHeads,
        double mlpRatio,
        double normEps,
        boolean sharedAln,
        boolean attnL2Norm,
        double condDropRate) {

    public int headDim() {
        return embedDim / numHeads;
    }

    public int mlpHidden() {
        return (int) Math.round(embedDim * mlpRatio);
    }

    /** Official VAR-d{depth} hyperparameters (width 64*depth, heads = depth). */
    public static VarConfig official(int depth, boolean sharedAln) {
        return new VarConfig(1000, depth, depth * 64, depth, 4.0, 1e-6, sharedAln, true, 0.1);
    }
}
