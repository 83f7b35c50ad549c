package io.streamrec.trainer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The model family's one shared core: GMF, MLP, NeuMF, ANeuMF and history-attentive ANeuMF are
 * configurations of this class (see {@link ModelConfig}).
 *
 * <h2>Math</h2>
 * Let {@code Dg = gmfFactors}, {@code Dm = mlpLayers[0] / 2}, {@code D = Dg + Dm}. Every embedding
 * row has width D: the first Dg columns feed the GMF branch, the last Dm the MLP branch.
 * <ol>
 *   <li><b>Item side</b>: {@code q = Q[c]} (row of {@code item_embedding}), split
 *       {@code q = [q_g ; q_m]}.</li>
 *   <li><b>User side</b> {@code z = [z_g ; z_m]}:
 *     <ul>
 *       <li>GMF, MLP, NeuMF, ANeuMF: {@code z = P[u]} (row of {@code user_embedding});</li>
 *       <li>history-attentive: for the non-padding history slots {@code j} (slot index
 *           {@code 0..H-1}, most recent last), with recency {@code r_j = H - 1 - j}:
 *           <pre>
 *   k_j = V[h_j] + E[r_j]                                   (history_embedding, position_embedding)
 *   s_j = β[r_j] + (y · k_j) / sqrt(D)                      (position_bias)
 *   α   = softmax(s) over the non-padding slots
 *   z   = P[u] + Σ_j α_j k_j                                (P[u] term only if user embeddings are on)
 *           </pre>
 *           The query {@code y} is the candidate's row {@code q} ({@link AttentionQuery#CANDIDATE}, so
 *           {@code z} differs per candidate) or {@code y = W_y k_n + b_y} from the newest non-padding
 *           slot {@code n} ({@link AttentionQuery#RECENT}: {@code query_weight}, {@code query_bias}; one
 *           {@code z} per user and history). With an empty history the sum is zero.</li>
 *     </ul>
 *     User index 0 (unknown) uses row 0 of {@code user_embedding}: zero at initialisation and
 *     learned only if training replaces users by 0 (see the trainer's unknown-user rate).</li>
 *   <li><b>GMF branch</b>: {@code g = z_g ⊙ q_g}.</li>
 *   <li><b>MLP branch</b>: {@code x = [z_m ; q_m]} (width 2Dm); ANeuMF and the history variant gate
 *       it: {@code a = softmax(W_a x + b_a)} over the 2Dm features, {@code x' = a ⊙ x} (else
 *       {@code x' = x}); then {@code h_l = relu(W_l h_{l-1} + b_l)} for {@code l = 1..L-1},
 *       {@code h_0 = x'}.</li>
 *   <li><b>Output</b>: {@code logit = w_o · [g ; h_{L-1}] + b_o} (raw score; the probability is
 *       its sigmoid). Branches that are absent are left out of the concatenation.</li>
 * </ol>
 * Every linear map applied to a concatenation factorises ({@code W[p;q] = W_p p + W_q q}), so an
 * exporter can precompute item-only terms.
 *
 * <h2>Parameters</h2>
 * {@link #parameterTensors()} names them (weights are {@code [out, in]}, row-major):
 * {@code user_embedding [U+1, D]} (absent for a history-only model), {@code item_embedding [N+1, D]},
 * {@code history_embedding [N+1, D]}, {@code position_embedding [H, D]}, {@code position_bias [H]},
 * {@code query_weight [D, D]} and {@code query_bias [D]} (recent-item query only),
 * {@code gate_weight [2Dm, 2Dm]}, {@code gate_bias [2Dm]}, {@code mlp_l_weight [w_l, w_{l-1}]},
 * {@code mlp_l_bias [w_l]} for {@code l = 1..L-1}, {@code output_weight [1, Dg + w_{L-1}]},
 * {@code output_bias [1]}.
 *
 * <h2>Threads</h2>
 * Scoring allocates its own workspace and only reads parameters, so concurrent {@link #score}
 * calls are safe while nobody trains the model; training mutates {@link #parameters()}.
 */
public final class NcfModel implements Scorer {

    private static final int SCORE_CAPACITY = 512;

    private final ModelConfig config;
    private final int numUsers;
    private final int numItems;
    private final Parameters params;
    private final DenseLayout layout;

    private final int width;
    private final int dg;
    private final int dm;
    private final int historyLength;
    private final float attentionScale;
    private final int posEmbOffset;
    private final int posBiasOffset;
    private final int queryWeightOffset;
    private final int queryBiasOffset;
    private final int gateWeightOffset;
    private final int gateBiasOffset;
    private final int[] mlpWeightOffset;
    private final int[] mlpBiasOffset;
    private final int outWeightOffset;
    private final int outBiasOffset;
    private final boolean gated;
    private final boolean usesHistory;
    private final boolean userSideQuery;
    private final boolean splitFirstLayer;

    private NcfModel(ModelConfig config, int numUsers, int numItems, Parameters params) {
        this.config = config;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.params = params;
        this.layout = layoutFor(config);
        this.width = config.embeddingWidth();
        this.dg = config.gmfFactors();
        this.dm = config.mlpFactors();
        this.historyLength = config.historyLength();
        this.attentionScale = (float) (1.0 / Math.sqrt(width));
        this.posEmbOffset = offset("position_embedding");
        this.posBiasOffset = offset("position_bias");
        this.queryWeightOffset = offset("query_weight");
        this.queryBiasOffset = offset("query_bias");
        this.gateWeightOffset = offset("gate_weight");
        this.gateBiasOffset = offset("gate_bias");
        int layers = config.mlpLayers().size();
        this.mlpWeightOffset = new int[layers];
        this.mlpBiasOffset = new int[layers];
        for (int l = 1; l < layers; l++) {
            mlpWeightOffset[l] = offset("mlp_" + l + "_weight");
            mlpBiasOffset[l] = offset("mlp_" + l + "_bias");
        }
        this.outWeightOffset = offset("output_weight");
        this.outBiasOffset = offset("output_bias");
        this.gated = config.gated();
        this.usesHistory = config.usesHistory();
        this.userSideQuery = config.userSideQuery();
        this.splitFirstLayer = sharesFirstLayerUserHalf(config);
    }

    /**
     * Whether a group's samples share one user vector that enters the MLP's first layer ungated, so the layer's
     * user half {@code W_1,z z_m} is computed, and back-propagated, once per group instead of once per sample
     * (a positive and its four negatives share it: a fifth of that half's work). The gate mixes both halves per
     * item, and the candidate as attention query gives each sample its own user vector: those keep the whole
     * layer per sample.
     */
    static boolean sharesFirstLayerUserHalf(ModelConfig config) {
        return config.mlpFactors() > 0 && !config.gated() && (!config.usesHistory() || config.userSideQuery());
    }

    private int offset(String name) {
        return layout.has(name) ? layout.entry(name).offset() : -1;
    }

    /** A freshly initialised model for users 1..numUsers and items 1..numItems. */
    public static NcfModel create(ModelConfig config, int numUsers, int numItems) {
        int d = config.embeddingWidth();
        SplittableRandom random = new SplittableRandom(config.seed());
        float std = (float) config.initStd();
        float[][] users = config.userEmbedding() ? normalRows(numUsers + 1, d, std, random) : null;
        float[][] items = normalRows(numItems + 1, d, std, random);
        float[][] history = config.usesHistory() ? normalRows(numItems + 1, d, std, random) : null;
        DenseLayout layout = layoutFor(config);
        float[] dense = new float[layout.size()];
        for (DenseLayout.Entry e : layout.entries()) {
            String name = e.name();
            if (name.equals("position_embedding")) {
                for (int i = 0; i < e.size(); i++) {
                    dense[e.offset() + i] = (float) (random.nextGaussian() * std);
                }
            } else if (name.endsWith("_weight")) {
                // Glorot-uniform for hidden maps, LeCun-uniform for the output (as the NCF reference).
                double limit = name.equals("output_weight")
                        ? Math.sqrt(3.0 / e.cols()) : Math.sqrt(6.0 / (e.rows() + e.cols()));
                for (int i = 0; i < e.size(); i++) {
                    dense[e.offset() + i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
            }
        }
        return new NcfModel(config, numUsers, numItems, new Parameters(d, users, items, history, dense));
    }

    private static float[][] normalRows(int rows, int d, float std, SplittableRandom random) {
        float[][] table = new float[rows][d];
        for (int r = 1; r < rows; r++) {
            for (int c = 0; c < d; c++) {
                table[r][c] = (float) (random.nextGaussian() * std);
            }
        }
        return table;
    }

    static DenseLayout layoutFor(ModelConfig config) {
        List<DenseLayout.Entry> entries = new ArrayList<>();
        int[] next = {0};
        int d = config.embeddingWidth();
        int h = config.historyLength();
        if (config.usesHistory()) {
            add(entries, next, "position_embedding", h, d, true);
            add(entries, next, "position_bias", 1, h, false);
            if (config.userSideQuery()) {
                add(entries, next, "query_weight", d, d, true);
                add(entries, next, "query_bias", 1, d, false);
            }
        }
        int f = 2 * config.mlpFactors();
        if (config.gated()) {
            add(entries, next, "gate_weight", f, f, true);
            add(entries, next, "gate_bias", 1, f, false);
        }
        List<Integer> layers = config.mlpLayers();
        for (int l = 1; l < layers.size(); l++) {
            add(entries, next, "mlp_" + l + "_weight", layers.get(l), layers.get(l - 1), true);
            add(entries, next, "mlp_" + l + "_bias", 1, layers.get(l), false);
        }
        add(entries, next, "output_weight", 1, config.gmfFactors() + config.mlpOutputWidth(), true);
        add(entries, next, "output_bias", 1, 1, false);
        return new DenseLayout(entries, next[0]);
    }

    private static void add(List<DenseLayout.Entry> entries, int[] next, String name, int rows, int cols, boolean matrix) {
        entries.add(new DenseLayout.Entry(name, next[0], rows, cols, matrix));
        next[0] += rows * cols;
    }

    /** The hyperparameters. */
    public ModelConfig config() {
        return config;
    }

    /** Number of real users (user indices 1..numUsers; 0 = unknown). */
    public int numUsers() {
        return numUsers;
    }

    /** Number of real items (item indices 1..numItems; 0 = padding). */
    public int numItems() {
        return numItems;
    }

    /** The live parameter arrays (for the optimiser). */
    public Parameters parameters() {
        return params;
    }

    /**
     * A model for new vocabularies that starts from {@code previous}'s parameters: the dense parameters whole,
     * and the embedding row of every user and item both vocabularies share; rows of newcomers keep their fresh
     * initialisation. Row 0 (the unknown user, the padding item) is carried over too.
     *
     * @param userMap for each new user index 1..numUsers, its index in {@code previous}, or 0 when it is new
     * @param itemMap the same for items
     * @throws IllegalArgumentException when the configurations differ (a different architecture cannot
     *                                  inherit parameters) or a map names an index {@code previous} lacks
     */
    public static NcfModel warmStarted(NcfModel previous, int numUsers, int[] userMap, int numItems, int[] itemMap) {
        if (userMap.length != numUsers + 1 || itemMap.length != numItems + 1) {
            throw new IllegalArgumentException("maps must have numUsers + 1 and numItems + 1 entries");
        }
        NcfModel model = create(previous.config, numUsers, numItems);
        Parameters from = previous.params;
        Parameters to = model.params;
        copyMappedRows(from.users(), to.users(), userMap);
        copyMappedRows(from.items(), to.items(), itemMap);
        copyMappedRows(from.history(), to.history(), itemMap);
        System.arraycopy(from.dense(), 0, to.dense(), 0, to.dense().length);
        return model;
    }

    private static void copyMappedRows(float[][] from, float[][] to, int[] map) {
        if (to == null) {
            return;
        }
        System.arraycopy(from[0], 0, to[0], 0, to[0].length);
        for (int row = 1; row < map.length; row++) {
            int old = map[row];
            if (old < 0 || old >= from.length) {
                throw new IllegalArgumentException("index " + old + " is outside the previous model's " + (from.length
                        - 1) + " rows");
            }
            if (old != 0) {
                System.arraycopy(from[old], 0, to[row], 0, to[row].length);
            }
        }
    }

    /** Where each dense parameter lives in {@link Parameters#dense()}. */
    public DenseLayout denseLayout() {
        return layout;
    }

    /** Every parameter as a named, shaped copy, in a stable order (for export and inspection). */
    public List<ParameterTensor> parameterTensors() {
        List<ParameterTensor> out = new ArrayList<>();
        if (params.users() != null) {
            out.add(new ParameterTensor("user_embedding", new int[] {numUsers + 1, width}, Parameters.flatten(params.users())));
        }
        out.add(new ParameterTensor("item_embedding", new int[] {numItems + 1, width}, Parameters.flatten(params.items())));
        if (params.history() != null) {
            out.add(new ParameterTensor("history_embedding", new int[] {numItems + 1, width}, Parameters.flatten(params.history())));
        }
        for (DenseLayout.Entry e : layout.entries()) {
            out.add(new ParameterTensor(e.name(), e.shape(),
                    Arrays.copyOfRange(params.dense(), e.offset(), e.offset() + e.size())));
        }
        return out;
    }

    /** A deep copy (e.g. the best epoch's snapshot). */
    public NcfModel copy() {
        return new NcfModel(config, numUsers, numItems, params.deepCopy());
    }

    /** Overwrites this model's parameters with {@code other}'s (same config and sizes). */
    public void copyFrom(NcfModel other) {
        if (!other.config.equals(config) || other.numUsers != numUsers || other.numItems != numItems) {
            throw new IllegalArgumentException("incompatible model");
        }
        params.copyFrom(other.params);
    }

    /** A workspace for passes of up to {@code capacity} samples. */
    public Workspace newWorkspace(int capacity) {
        return new Workspace(config, capacity, numItems + 1);
    }

    @Override
    public int historyLength() {
        return historyLength;
    }

    // ---------------------------------------------------------------------------------------------
    // Forward

    /** Computes the logits of every sample in the workspace ({@link Workspace#logits()}). */
    public void forward(Workspace ws) {
        int n = ws.size;
        int d = width;
        float[][] items = params.items();
        float[][] users = params.users();
        if (userSideQuery) {
            copyQueryWeights(ws);
        }
        if (usesHistory) {
            for (int r = 0; r < historyLength; r++) {
                System.arraycopy(params.dense(), posEmbOffset + r * d, ws.positionRows[r], 0, d);
            }
        }
        // Embedding rows are referenced, not copied: nothing writes to them during a pass.
        for (int s = 0; s < n; s++) {
            ws.itemRow[s] = items[ws.item[s]];
        }
        for (int g = 0; g < ws.groups; g++) {
            int from = ws.groupStart[g];
            int to = ws.groupStart[g + 1];
            if (!usesHistory) {
                float[] row = users[ws.groupUser[g]];
                for (int s = from; s < to; s++) {
                    ws.userRow[s] = row;
                }
                continue;
            }
            int m = gatherKeys(ws, g);
            if (userSideQuery) {
                recentQueryForward(ws, g, m);
                continue;
            }
            for (int s = from; s < to; s++) {
                float[] z = ws.userVec[s];
                if (users != null) {
                    System.arraycopy(users[ws.groupUser[g]], 0, z, 0, d);
                } else {
                    Arrays.fill(z, 0f);
                }
                TargetAttention.forward(ws.keys, ws.keysT, ws.slotBias, ws.itemRow[s], attentionScale, m, d,
                        ws.alpha[s], z);
                ws.userRow[s] = z;
            }
        }
        headForward(ws, n);
    }

    /**
     * The recent-item query: one user vector for the whole group, kept in the group's first sample's
     * {@code userVec} row, its weights in that sample's {@code alpha} row.
     */
    private void recentQueryForward(Workspace ws, int g, int m) {
        int from = ws.groupStart[g];
        int to = ws.groupStart[g + 1];
        if (from == to) {
            return;
        }
        int d = width;
        float[] z = ws.userVec[from];
        float[][] users = params.users();
        if (users != null) {
            System.arraycopy(users[ws.groupUser[g]], 0, z, 0, d);
        } else {
            Arrays.fill(z, 0f);
        }
        if (m > 0) {
            float[] query = ws.groupQuery[g];
            recentQuery(ws, ws.keys[m - 1], query);
            TargetAttention.forward(ws.keys, null, ws.slotBias, query, attentionScale, m, d, ws.alpha[from], z);
        }
        for (int s = from; s < to; s++) {
            ws.userRow[s] = z;
        }
    }

    /**
     * Copies {@code W_y} into the workspace as rows and as columns, once per pass: the per-group products then
     * run as row updates that vectorise, instead of a dot product per output (a float reduction C2 keeps scalar).
     */
    private void copyQueryWeights(Workspace ws) {
        int d = width;
        float[] dense = params.dense();
        for (int a = 0; a < d; a++) {
            System.arraycopy(dense, queryWeightOffset + a * d, ws.queryWeightRows[a], 0, d);
        }
        Kernels.transpose(ws.queryWeightRows, 0, d, d, ws.queryWeightColumns, 0);
    }

    /** {@code y = W_y k + b_y}, as a sum of {@code W_y}'s columns. */
    private void recentQuery(Workspace ws, float[] newestKey, float[] query) {
        int d = width;
        System.arraycopy(params.dense(), queryBiasOffset, query, 0, d);
        for (int b = 0; b < d; b++) {
            Kernels.axpy(newestKey[b], ws.queryWeightColumns[b], query, d);
        }
    }

    /**
     * Gathers the keys {@code V[h_j] + E[r_j]} and biases of group {@code g}'s non-padding slots into
     * the workspace; returns their number.
     */
    private int gatherKeys(Workspace ws, int g) {
        int d = width;
        int h = historyLength;
        float[][] hist = params.history();
        float[] dense = params.dense();
        int m = 0;
        int base = g * h;
        for (int j = 0; j < h; j++) {
            int it = ws.groupHistory[base + j];
            if (it <= 0 || it > numItems) {
                continue;
            }
            int r = h - 1 - j;
            ws.slotItem[m] = it;
            ws.slotPosition[m] = r;
            ws.slotBias[m] = dense[posBiasOffset + r];
            float[] k = ws.keys[m];
            float[] v = hist[it];
            float[] position = ws.positionRows[r];
            for (int c = 0; c < d; c++) {
                k[c] = v[c] + position[c];
            }
            m++;
        }
        if (m > 0 && !userSideQuery) {
            Kernels.transpose(ws.keys, 0, m, d, ws.keysT, 0); // the candidate query's samples share them
        }
        return m;
    }

    /**
     * The GMF branch and the output bias run sample-major (the embedding rows already are); only the
     * MLP input {@code [z_m ; q_m]} is transposed into feature-major rows (rows [0, Dm) user,
     * [Dm, 2Dm) item) for the dense layers.
     */
    private void headForward(Workspace ws, int n) {
        float[] dense = params.dense();
        float bias = dense[outBiasOffset];
        float[] wg = ws.gmfWeight;
        System.arraycopy(dense, outWeightOffset, wg, 0, dg);
        // (w_o,g ⊙ z_g) once per user vector: a group's samples share theirs.
        float[] weightedUser = ws.gmfWeightedUser;
        float[] weightedFor = null;
        for (int s = 0; s < n; s++) {
            float[] u = ws.userRow[s];
            if (u != weightedFor) {
                Kernels.multiply(wg, u, weightedUser, dg);
                weightedFor = u;
            }
            ws.logit[s] = bias + Kernels.dot(weightedUser, ws.itemRow[s], dg);
        }
        if (dm == 0) {
            return;
        }
        float[][] in = ws.headIn;
        if (splitFirstLayer) {
            for (int s = 0; s < n; s++) {
                float[] q = ws.itemRow[s];
                for (int c = 0; c < dm; c++) {
                    in[dm + c][s] = q[dg + c];
                }
            }
        } else {
            for (int s = 0; s < n; s++) {
                float[] u = ws.userRow[s];
                float[] q = ws.itemRow[s];
                for (int c = 0; c < dm; c++) {
                    in[c][s] = u[dg + c];
                    in[dm + c][s] = q[dg + c];
                }
            }
        }
        int f = 2 * dm;
        float[][] input = in;
        if (gated) {
            SoftmaxGate.forward(dense, gateWeightOffset, dense, gateBiasOffset, in, 0, ws.gate, ws.gated, f, n,
                    ws.rowScratch);
            input = ws.gated;
        }
        List<Integer> layers = config.mlpLayers();
        int firstDense = 1;
        if (splitFirstLayer) {
            splitFirstLayerForward(ws, n);
            input = ws.hidden[1];
            firstDense = 2;
        }
        for (int l = firstDense; l < layers.size(); l++) {
            int out = layers.get(l);
            Dense.forward(dense, mlpWeightOffset[l], dense, mlpBiasOffset[l], input, 0, ws.hidden[l], 0,
                    layers.get(l - 1), out, n);
            for (int o = 0; o < out; o++) {
                Relu.forward(ws.hidden[l][o], n);
            }
            input = ws.hidden[l];
        }
        int last = layers.size() - 1;
        for (int c = 0; c < layers.get(last); c++) {
            Kernels.axpy(dense[outWeightOffset + dg + c], ws.hidden[last][c], ws.logit, n);
        }
    }

    /**
     * {@code h_1 = relu(W_1,z z_m + b_1 + W_1,q q_m)}: the user half once per group (one column per group), spread
     * over the group's samples, then the item half added per sample from the transposed item rows in
     * {@code headIn[Dm, 2Dm)}.
     */
    private void splitFirstLayerForward(Workspace ws, int n) {
        float[] dense = params.dense();
        int groups = ws.groups;
        int f = 2 * dm;
        int first = config.mlpLayers().get(1);
        float[][] userIn = ws.groupUserIn;
        for (int g = 0; g < groups; g++) {
            int from = ws.groupStart[g];
            float[] z = from < ws.groupStart[g + 1] ? ws.userRow[from] : ws.zeroRow;
            ws.groupUserRow[g] = z;
            for (int c = 0; c < dm; c++) {
                userIn[c][g] = z[dg + c];
            }
        }
        float[][] perGroup = ws.groupFirstLayer;
        for (int o = 0; o < first; o++) {
            Arrays.fill(perGroup[o], 0, groups, dense[mlpBiasOffset[1] + o]);
        }
        Dense.accumulate(dense, mlpWeightOffset[1], f, userIn, 0, perGroup, 0, dm, first, groups);
        float[][] h = ws.hidden[1];
        for (int o = 0; o < first; o++) {
            float[] row = h[o];
            float[] values = perGroup[o];
            for (int g = 0; g < groups; g++) {
                Arrays.fill(row, ws.groupStart[g], ws.groupStart[g + 1], values[g]);
            }
        }
        Dense.accumulate(dense, mlpWeightOffset[1] + dm, f, ws.headIn, dm, h, 0, dm, first, n);
        for (int o = 0; o < first; o++) {
            Relu.forward(h[o], n);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Backward

    /**
     * Back-propagates the log loss of the last {@link #forward} pass, with gradients scaled by
     * {@code scale} (e.g. 1 / batch size). Dense gradients are added to {@code denseGrad} (laid out
     * as {@link #denseLayout()}); the user and item rows' gradients are left in the workspace, the
     * history table's are added to its {@link Workspace#historyGradientSums()}. Returns the unscaled
     * summed loss.
     */
    public double backward(Workspace ws, float scale, float[] denseGrad) {
        int n = ws.size;
        double loss = LogLoss.forwardBackward(ws.logit, ws.label, ws.dLogit, n, scale);
        backwardFromLogits(ws, denseGrad);
        return loss;
    }

    /** Back-propagates the gradient already stored in the workspace's logit gradient. */
    void backwardFromLogits(Workspace ws, float[] denseGrad) {
        int n = ws.size;
        float[] wg = ws.gmfWeight;
        float[] dwg = ws.gmfWeightGrad;
        java.util.Arrays.fill(dwg, 0f);
        denseGrad[outBiasOffset] += Kernels.sum(ws.dLogit, n);
        for (int s = 0; s < n; s++) {
            float a = ws.dLogit[s];
            float[] u = ws.userRow[s];
            float[] q = ws.itemRow[s];
            float[] du = ws.dUserVec[s];
            float[] dq = ws.dItemVec[s];
            for (int c = 0; c < dg; c++) {
                float g = a * wg[c];
                du[c] = g * q[c];
                dq[c] = g * u[c];
                dwg[c] += a * u[c] * q[c];
            }
        }
        for (int c = 0; c < dg; c++) {
            denseGrad[outWeightOffset + c] += dwg[c];
        }
        if (dm > 0) {
            float[][] dIn = ws.dHeadIn;
            for (int r = splitFirstLayer ? dm : 0; r < 2 * dm; r++) {
                Arrays.fill(dIn[r], 0, n, 0f);
            }
            mlpBackward(ws, n, denseGrad);
            for (int s = 0; s < n; s++) {
                float[] dq = ws.dItemVec[s];
                for (int c = 0; c < dm; c++) {
                    dq[dg + c] = dIn[dm + c][s];
                }
            }
            if (splitFirstLayer) {
                // The group's shared vector gets its MLP gradient once, through the group's first sample (the
                // user-side backward sums a group's samples).
                for (int g = 0; g < ws.groups; g++) {
                    int from = ws.groupStart[g];
                    int to = ws.groupStart[g + 1];
                    for (int s = from; s < to; s++) {
                        float[] du = ws.dUserVec[s];
                        if (s == from) {
                            for (int c = 0; c < dm; c++) {
                                du[dg + c] = ws.dGroupUserIn[c][g];
                            }
                        } else {
                            Arrays.fill(du, dg, dg + dm, 0f);
                        }
                    }
                }
            } else {
                for (int s = 0; s < n; s++) {
                    float[] du = ws.dUserVec[s];
                    for (int c = 0; c < dm; c++) {
                        du[dg + c] = dIn[c][s];
                    }
                }
            }
        }
        userSideBackward(ws, denseGrad);
        if (usesHistory) {
            Dense.flush(ws.positionGrad, denseGrad, posEmbOffset, width, historyLength);
        }
        if (userSideQuery) {
            Dense.flush(ws.queryWeightGrad, denseGrad, queryWeightOffset, width, width);
        }
    }

    private void mlpBackward(Workspace ws, int n, float[] denseGrad) {
        float[] dense = params.dense();
        List<Integer> layers = config.mlpLayers();
        int last = layers.size() - 1;
        int lastWidth = layers.get(last);
        float[][] dTop = ws.dHidden[last];
        for (int c = 0; c < lastWidth; c++) {
            denseGrad[outWeightOffset + dg + c] += Kernels.dot(ws.dLogit, ws.hidden[last][c], n);
            Kernels.scale(dense[outWeightOffset + dg + c], ws.dLogit, dTop[c], n);
            Relu.backward(ws.hidden[last][c], dTop[c], n);
        }
        int f = 2 * dm;
        int firstDense = splitFirstLayer ? 2 : 1;
        for (int l = last; l >= firstDense; l--) {
            int in = layers.get(l - 1);
            float[][] input;
            int inputRow;
            float[][] dInput;
            int dInputRow;
            if (l > 1) {
                input = ws.hidden[l - 1];
                inputRow = 0;
                dInput = ws.dHidden[l - 1];
                dInputRow = 0;
            } else if (gated) {
                input = ws.gated;
                inputRow = 0;
                dInput = ws.dGated;
                dInputRow = 0;
            } else {
                input = ws.headIn;
                inputRow = 0;
                dInput = ws.dHeadIn;
                dInputRow = 0;
            }
            if (dInput != ws.dHeadIn) {
                for (int k = 0; k < in; k++) {
                    Arrays.fill(dInput[dInputRow + k], 0, n, 0f);
                }
            }
            Dense.backward(dense, mlpWeightOffset[l], input, inputRow, ws.dHidden[l], 0, dInput, dInputRow,
                    ws.mlpDw[l], denseGrad, mlpBiasOffset[l], in, layers.get(l), n, ws.sampleMajor);
            Dense.flush(ws.mlpDw[l], denseGrad, mlpWeightOffset[l], in, layers.get(l));
            if (l > 1) {
                for (int k = 0; k < in; k++) {
                    Relu.backward(ws.hidden[l - 1][k], ws.dHidden[l - 1][k], n);
                }
            }
        }
        if (splitFirstLayer) {
            splitFirstLayerBackward(ws, n, denseGrad);
        }
        if (gated) {
            SoftmaxGate.backward(dense, gateWeightOffset, ws.headIn, 0, ws.gate, ws.dGated, ws.dHeadIn, 0,
                    ws.gateDw, denseGrad, gateBiasOffset, f, n, ws.gateDs, ws.rowScratch[0], ws.sampleMajor);
            Dense.flush(ws.gateDw, denseGrad, gateWeightOffset, f, f);
        }
    }

    /**
     * The backward of {@link #splitFirstLayerForward} from {@code dHidden[1]} (already through the ReLU): weight
     * gradients straight from the embedding rows (sample-major at offset Dg, no transposed copy), the item half's
     * input gradient into {@code dHeadIn[Dm, 2Dm)}, the user half's once per group into {@code dGroupUserIn}.
     */
    private void splitFirstLayerBackward(Workspace ws, int n, float[] denseGrad) {
        float[] dense = params.dense();
        int groups = ws.groups;
        int f = 2 * dm;
        int first = config.mlpLayers().get(1);
        int weight = mlpWeightOffset[1];
        float[][] dh = ws.dHidden[1];
        float[][] perGroup = ws.dGroupFirstLayer;
        for (int o = 0; o < first; o++) {
            float[] row = dh[o];
            float[] sums = perGroup[o];
            for (int g = 0; g < groups; g++) {
                float acc = 0f;
                for (int s = ws.groupStart[g]; s < ws.groupStart[g + 1]; s++) {
                    acc += row[s];
                }
                sums[g] = acc;
            }
            denseGrad[mlpBiasOffset[1] + o] += Kernels.sum(sums, groups);
        }
        Dense.weightGradient(perGroup, 0, ws.groupUserRow, dg, dm, first, groups, ws.firstLayerUserDw);
        Dense.flushColumns(ws.firstLayerUserDw, dg, denseGrad, weight, f, dm, first);
        Dense.weightGradient(dh, 0, ws.itemRow, dg, dm, first, n, ws.firstLayerItemDw);
        Dense.flushColumns(ws.firstLayerItemDw, dg, denseGrad, weight + dm, f, dm, first);
        Dense.inputGradient(dense, weight + dm, f, dh, 0, ws.dHeadIn, dm, dm, first, n);
        for (int c = 0; c < dm; c++) {
            Arrays.fill(ws.dGroupUserIn[c], 0, groups, 0f);
        }
        Dense.inputGradient(dense, weight, f, perGroup, 0, ws.dGroupUserIn, 0, dm, first, groups);
    }

    /** Attention backward and per-group user gradients. */
    private void userSideBackward(Workspace ws, float[] denseGrad) {
        int d = width;
        boolean hasUsers = params.users() != null;
        for (int g = 0; g < ws.groups; g++) {
            int from = ws.groupStart[g];
            int to = ws.groupStart[g + 1];
            // The group's summed user-vector gradient: the user row's gradient, and with the recent-item query
            // also the gradient of the one attention output the group's samples share.
            float[] groupGrad = hasUsers ? ws.userGrad[g] : userSideQuery ? ws.dQuery[0] : null;
            if (groupGrad != null) {
                Arrays.fill(groupGrad, 0f);
                for (int s = from; s < to; s++) {
                    Kernels.add(ws.dUserVec[s], groupGrad, d);
                }
            }
            if (!usesHistory) {
                continue;
            }
            int m = gatherKeys(ws, g);
            for (int j = 0; j < m; j++) {
                Arrays.fill(ws.dKeys[j], 0f);
            }
            Arrays.fill(ws.dSlotBias, 0, m, 0f);
            if (userSideQuery) {
                if (m > 0 && from < to) {
                    recentQueryBackward(ws, groupGrad, g, m, denseGrad);
                }
            } else {
                for (int s = from; s < to; s++) {
                    TargetAttention.backward(ws.keys, ws.keysT, ws.itemRow[s], attentionScale, m, d, ws.alpha[s],
                            ws.dUserVec[s], ws.dItemVec[s], ws.dKeys, ws.dSlotBias, ws.attentionScratch);
                }
            }
            for (int j = 0; j < m; j++) {
                ws.historySums.add(ws.slotItem[j], ws.dKeys[j]);
                int r = ws.slotPosition[j];
                Kernels.add(ws.dKeys[j], ws.positionGrad[r], d);
                denseGrad[posBiasOffset + r] += ws.dSlotBias[j];
            }
        }
    }

    /**
     * The recent-item query's attention backward for one group: from {@code dz}, the group's summed user-vector
     * gradient (its samples share one vector), through the attention to the keys and the query, and from the
     * query to {@code W_y}, {@code b_y} and the newest key.
     */
    private void recentQueryBackward(Workspace ws, float[] dz, int g, int m, float[] denseGrad) {
        int d = width;
        float[] newest = ws.keys[m - 1];
        float[] query = ws.groupQuery[g];
        float[] dy = ws.dQuery[1];
        Arrays.fill(dy, 0f);
        TargetAttention.backward(ws.keys, null, query, attentionScale, m, d, ws.alpha[ws.groupStart[g]], dz, dy,
                ws.dKeys, ws.dSlotBias, ws.attentionScratch);
        float[] dNewest = ws.dKeys[m - 1];
        for (int a = 0; a < d; a++) {
            float ga = dy[a];
            denseGrad[queryBiasOffset + a] += ga;
            Kernels.axpy(ga, newest, ws.queryWeightGrad[a], d);
            Kernels.axpy(ga, ws.queryWeightRows[a], dNewest, d);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Serving signature

    /**
     * Scores candidates (see {@link Scorer}). Users outside 1..numUsers are treated as unknown (0);
     * history entries outside 1..numItems are treated as padding; candidate indices outside
     * 1..numItems are scored as item 0.
     */
    @Override
    public void score(int[] users, int[][] histories, int[][] candidates, float[][] out) {
        Workspace ws = newWorkspace(SCORE_CAPACITY);
        int[] rowOf = new int[SCORE_CAPACITY];
        int[] colOf = new int[SCORE_CAPACITY];
        ws.clear();
        for (int r = 0; r < candidates.length; r++) {
            int[] c = candidates[r];
            int col = 0;
            while (col < c.length) {
                if (ws.remaining() == 0) {
                    flush(ws, rowOf, colOf, out);
                }
                int user = users[r] >= 0 && users[r] <= numUsers ? users[r] : 0;
                int g = ws.beginGroup(user);
                if (historyLength > 0) {
                    int[] hist = histories[r];
                    if (hist.length != historyLength) {
                        throw new IllegalArgumentException("history row " + r + " has length " + hist.length
                                + ", expected " + historyLength);
                    }
                    System.arraycopy(hist, 0, ws.groupHistory, ws.historyOffset(g), historyLength);
                }
                int take = Math.min(ws.remaining(), c.length - col);
                for (int k = 0; k < take; k++) {
                    int it = c[col + k];
                    rowOf[ws.size] = r;
                    colOf[ws.size] = col + k;
                    ws.addSample(it > 0 && it <= numItems ? it : 0, 0f);
                }
                col += take;
            }
        }
        if (ws.size > 0) {
            flush(ws, rowOf, colOf, out);
        }
    }

    private void flush(Workspace ws, int[] rowOf, int[] colOf, float[][] out) {
        forward(ws);
        for (int s = 0; s < ws.size; s++) {
            out[rowOf[s]][colOf[s]] = ws.logit[s];
        }
        ws.clear();
    }
}
