package io.streamrec.trainer.model;

/**
 * Scratch memory for one forward/backward pass of an {@link NcfModel} over a chunk of samples.
 *
 * <p>Samples come in groups that share a user and a history (a positive and its sampled
 * negatives, or one request's candidates): call {@link #beginGroup(int)}, fill
 * {@link #histories()} at {@link #historyOffset(int)} if the model reads history, then
 * {@link #addSample(int, float)} for each candidate. All buffers are allocated once, so passes
 * allocate nothing.
 *
 * <p>After {@link NcfModel#backward}, the sparse gradients are readable through
 * {@link #userGradients()} and {@link #itemGradients()} (live views, valid until the next pass) and
 * {@link #historyGradientSums()} (summed per history-table row over passes until cleared).
 *
 * <p>Not thread-safe: use one workspace per thread.
 */
public final class Workspace {

    final int capacity;
    final int historyLength;
    final int width;

    int size;
    int groups;

    final int[] item;
    final float[] label;
    final int[] groupStart;
    final int[] groupUser;
    final int[] groupHistory;

    /** Owned rows for computed user vectors (history variant). */
    final float[][] userVec;
    /** Per sample, the user vector in use: a table row (read-only) or a row of {@link #userVec}. */
    final float[][] userRow;
    /** Per sample, the candidate's embedding row, referenced from the table (read-only). */
    final float[][] itemRow;
    final float[][] dUserVec;
    final float[][] dItemVec;
    final float[][] headIn;
    final float[][] dHeadIn;
    final float[] gmfWeight;
    final float[] gmfWeightGrad;
    /** The GMF output weights times the user vector in hand, {@code w_o,g ⊙ z_g}. */
    final float[] gmfWeightedUser;
    final float[][] gate;
    final float[][] gated;
    final float[][] dGated;
    final float[][] gateDs;
    final float[][] gateDw;
    final float[][][] hidden;
    final float[][][] dHidden;
    final float[][][] mlpDw;
    final float[] logit;
    final float[] dLogit;
    final float[][] sampleMajor;
    final float[][] rowScratch;

    /*
     * The first MLP layer split into a user half, computed once per group, and an item half, computed per sample
     * (NcfModel#sharesFirstLayerUserHalf; empty arrays otherwise). Feature-major, one column per group: the
     * groups' user halves z_m, W_1,z z_m + b_1 and their gradients; the groups' user rows; weight gradients of
     * each half, at the embedding rows' MLP offset.
     */
    final float[][] groupUserIn;
    final float[][] groupFirstLayer;
    final float[][] dGroupFirstLayer;
    final float[][] dGroupUserIn;
    final float[][] groupUserRow;
    final float[][] firstLayerUserDw;
    final float[][] firstLayerItemDw;
    /** A zero user vector, standing in for an empty group's. */
    final float[] zeroRow;

    final float[][] keys;
    /** The keys transposed, for the candidate query only (the recent-item query's single query reads the rows). */
    final float[][] keysT;
    final float[] slotBias;
    final int[] slotItem;
    final int[] slotPosition;
    final float[][] alpha;
    final float[][] dKeys;
    final float[] dSlotBias;
    final float[] attentionScratch;
    /** Two gradient rows of the recent-item query's group in hand: its user vector's and its query's. */
    final float[][] dQuery;
    /**
     * The recent-item query's map {@code W_y} as rows and as columns (copied from the parameters at the start of
     * each forward pass, so its products run as vectorised row updates), each group's query from the forward
     * pass (backward reuses it), and the pass's gradient of {@code W_y} as rows; empty without that query.
     */
    final float[][] queryWeightRows;
    final float[][] queryWeightColumns;
    final float[][] groupQuery;
    final float[][] queryWeightGrad;
    /**
     * The position embeddings as rows, copied from the parameters at the start of each forward pass, and the
     * pass's gradient of them as rows (flushed at the end of the backward pass): the keys' sums and the gradient
     * then index every array alike, which C2 needs to vectorise; empty without history.
     */
    final float[][] positionRows;
    final float[][] positionGrad;

    final float[][] userGrad;
    /** The history table's gradient summed per row over passes; null without history. */
    final RowGradientSums historySums;

    Workspace(ModelConfig config, int capacity, int historyTableRows) {
        this.capacity = capacity;
        this.historyLength = config.historyLength();
        this.width = config.embeddingWidth();
        int d = width;
        int dg = config.gmfFactors();
        int dm2 = 2 * config.mlpFactors();
        int h = historyLength;
        item = new int[capacity];
        label = new float[capacity];
        groupStart = new int[capacity + 1];
        groupUser = new int[capacity];
        groupHistory = new int[capacity * h];
        userVec = new float[capacity][d];
        userRow = new float[capacity][];
        itemRow = new float[capacity][];
        dUserVec = new float[capacity][d];
        dItemVec = new float[capacity][d];
        headIn = new float[dm2][capacity];
        dHeadIn = new float[dm2][capacity];
        gmfWeight = new float[dg];
        gmfWeightGrad = new float[dg];
        gmfWeightedUser = new float[dg];
        boolean gatedMlp = config.gated();
        int f = gatedMlp ? dm2 : 0;
        gate = new float[f][capacity];
        gated = new float[f][capacity];
        dGated = new float[f][capacity];
        gateDs = new float[f][capacity];
        gateDw = new float[f][f];
        int layers = config.mlpLayers().size();
        hidden = new float[layers][][];
        dHidden = new float[layers][][];
        mlpDw = new float[layers][][];
        int maxWidth = Math.max(2 * d, 1);
        for (int l = 1; l < layers; l++) {
            int out = config.mlpLayers().get(l);
            hidden[l] = new float[out][capacity];
            dHidden[l] = new float[out][capacity];
            mlpDw[l] = new float[out][config.mlpLayers().get(l - 1)];
            maxWidth = Math.max(maxWidth, out);
        }
        boolean split = NcfModel.sharesFirstLayerUserHalf(config);
        int splitIn = split ? config.mlpFactors() : 0;
        int splitOut = split ? config.mlpLayers().get(1) : 0;
        int splitRow = split ? dg + config.mlpFactors() : 0;
        groupUserIn = new float[splitIn][capacity];
        groupFirstLayer = new float[splitOut][capacity];
        dGroupFirstLayer = new float[splitOut][capacity];
        dGroupUserIn = new float[splitIn][capacity];
        groupUserRow = new float[split ? capacity : 0][];
        firstLayerUserDw = new float[splitOut][splitRow];
        firstLayerItemDw = new float[splitOut][splitRow];
        zeroRow = new float[d];
        logit = new float[capacity];
        dLogit = new float[capacity];
        sampleMajor = new float[capacity][maxWidth];
        rowScratch = new float[2][capacity];
        keys = new float[h][d];
        keysT = new float[config.userSideQuery() ? 0 : d][h];
        slotBias = new float[h];
        slotItem = new int[h];
        slotPosition = new int[h];
        alpha = new float[capacity][h];
        dKeys = new float[h][d];
        dSlotBias = new float[h];
        attentionScratch = new float[h];
        dQuery = new float[2][d];
        int qd = config.userSideQuery() ? d : 0;
        queryWeightRows = new float[qd][qd];
        queryWeightColumns = new float[qd][qd];
        groupQuery = new float[qd > 0 ? capacity : 0][qd];
        queryWeightGrad = new float[qd][qd];
        positionRows = new float[h][d];
        positionGrad = new float[h][d];
        userGrad = new float[capacity][d];
        historySums = h > 0 ? new RowGradientSums(historyTableRows, d) : null;
    }

    /** Maximum number of samples per pass. */
    public int capacity() {
        return capacity;
    }

    /** Samples added since the last {@link #clear()}. */
    public int size() {
        return size;
    }

    /** Groups begun since the last {@link #clear()}. */
    public int groups() {
        return groups;
    }

    /** Room for more samples. */
    int remaining() {
        return capacity - size;
    }

    /** Empties the workspace for the next pass. */
    public void clear() {
        size = 0;
        groups = 0;
        groupStart[0] = 0;
    }

    /**
     * Starts a group of samples sharing {@code user} (0 = unknown) and a history; returns its
     * index. The history slots of the new group are zeroed (all padding).
     */
    public int beginGroup(int user) {
        int g = groups++;
        groupUser[g] = user;
        groupStart[g + 1] = size;
        java.util.Arrays.fill(groupHistory, g * historyLength, (g + 1) * historyLength, 0);
        return g;
    }

    /** The group-major history buffer: group {@code g}'s H slots start at {@link #historyOffset(int)}. */
    public int[] histories() {
        return groupHistory;
    }

    /** First history slot of group {@code g}. */
    public int historyOffset(int g) {
        return g * historyLength;
    }

    /** Adds a sample (candidate {@code item}, training label 0 or 1) to the current group. */
    public void addSample(int candidate, float target) {
        if (groups == 0) {
            throw new IllegalStateException("beginGroup first");
        }
        item[size] = candidate;
        label[size] = target;
        size++;
        groupStart[groups] = size;
    }

    /** Logits of the last forward pass, one per sample (live view). */
    float[] logits() {
        return logit;
    }

    /** User of group {@code g}. */
    public int groupUser(int g) {
        return groupUser[g];
    }

    /** Candidate item of sample {@code s}. */
    public int item(int s) {
        return item[s];
    }

    /**
     * Makes the following passes write sample {@code s}'s item gradient into {@code itemRows[itemFrom + s]} and
     * group {@code g}'s user gradient into {@code userRows[userFrom + g]} (null: keep the workspace's own), so a
     * trainer gathers a batch's sparse gradients without copying them out of the workspace. Rows must be at least
     * the embedding width and owned by this workspace until rebound; a pass must not hold more samples (groups)
     * than there are rows from the given offset.
     */
    public void bindGradientRows(float[][] itemRows, int itemFrom, float[][] userRows, int userFrom) {
        System.arraycopy(itemRows, itemFrom, dItemVec, 0, Math.min(capacity, itemRows.length - itemFrom));
        if (userRows != null) {
            System.arraycopy(userRows, userFrom, userGrad, 0, Math.min(capacity, userRows.length - userFrom));
        }
    }

    /** Per-group gradient of the group user's embedding row: row {@code g} (live view). */
    float[][] userGradients() {
        return userGrad;
    }

    /** Per-sample gradient of the candidate item's embedding row: row {@code s} (live view). */
    float[][] itemGradients() {
        return dItemVec;
    }

    /**
     * The gradient of the history table's rows, added by every backward pass and summed per row until the caller
     * clears it (a trainer after each optimiser step); null if the model reads no history.
     */
    public RowGradientSums historyGradientSums() {
        return historySums;
    }
}
