package io.streamrec.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import io.streamrec.trainer.model.DenseLayout;
import io.streamrec.trainer.model.ModelConfig;
import io.streamrec.trainer.model.NcfModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The exported bytes of every model family member and every way the exporter can build its graph (each
 * candidate scoring the variant takes; for gated variants the factored and the per-item gate, chosen by the
 * spread of the gate's logits) are pinned by SHA-256, so a change that only moves code around provably leaves the
 * graph, node for node and bit for bit, as it was. The bytes depend only on the model and the exporter, not on the
 * JVM run (a release's digest is reproducible).
 *
 * <p>A deliberate change of the graph changes these digests: check it with {@link OnnxParityTest} and the
 * streams app's parity tests, then replace {@link #PINNED} with the lines this test prints on failure.
 */
class OnnxExportDigestTest {

    private static final int USERS = 20;
    private static final int ITEMS = 40;
    private static final ExportMetadata METADATA = new ExportMetadata("digest", 7, "digest-test",
            Map.of("epochs", "3"), Map.of("data.source", "synthetic"));

    /** Gate weight scales: ordinary weights (catalogue scoring factors the gate) and far spread logits (it does not). */
    private static final List<Float> GATE_SCALES = List.of(1f, 400f);

    private static final Map<String, String> PINNED = pinned(
        "gmf gather", "b2c30205383872840d9225f1e28d94198014c33a28f1b0aaf354e9ee7504a06e",
        "gmf catalogue", "35d972e31714150d4720a964493454b0f5a1ba986ca041f5d9b341b62d45f91a",
        "mlp gather", "1eadfa4a63b5298806cc4e2f1c27f13b90751bcae20fb052ee5a43ee1a0370c6",
        "mlp catalogue", "2317cbdce4436b5f577f68758f505bf1305a6aa1b50d274fb28909f358f26f3a",
        "neumf gather", "7589dc7449e25a79cf78feaade2e79ccaa58646d300e6599631efa1f4e4ad849",
        "neumf catalogue", "7af8212ee86eff3bf27300b9d0fc85ef6baf65d90c4fa98226c9a3737dcd8349",
        "aneumf gather gate x1.0", "07282dcbe75025bba39ffe9da1212722af50f85f06517683358cfa7e6f361eac",
        "aneumf gather gate x400.0", "779b00a9e09fa91dbe6d3e5e6a59c2bc8cede6bd5f763da0ebeeb1b9a52c5b79",
        "aneumf catalogue gate x1.0", "aea5c4830d99613c6a09145e7ec60b05f71b07a6b352845a7170e7511a2785dd",
        "aneumf catalogue gate x400.0", "12b01f8ed4b5437584dddb3e0c0e83aac86ef491ed7bd2c7ad38ef3d7c96d228",
        "history-aneumf gather gate x1.0", "051c98b3662e62c608baa55b9407fb0da213c1e096109f1ae4ed459752951533",
        "history-aneumf gather gate x400.0", "3a88e23e97145b6e9a6a73fc6577c225bc2d48d9d2eb9873b1ea7ab9c408a63d",
        "history-aneumf-no-user gather gate x1.0", "377a2d74f1675351c75ce829367c8b1a8f6dec496e91e1a6477969ae143b2444",
        "history-aneumf-no-user gather gate x400.0", "7d32faa06717d18e0c0e950ef9cb3974f02a24e9542f172221035042fd45e651",
        "history-gmf-head gather", "17d26d74d98cfb015c02d08bb607921150ade5ab442406e20b6f673eac48978e",
        "history-mlp-head gather gate x1.0", "c0103a9eb2fe3fda0c2f9ed538510d289427f363a909a61f493970488724b0d4",
        "history-mlp-head gather gate x400.0", "9fb8f0298bde4a5043c4992990068a6e1b92aa08ea65c2001371c87929a5a272",
        "history-recent gather gate x1.0", "dd20ec0252f260c4a3c8dc58d2293d498ed27ecc422ffaaecaaf399c279fa55c",
        "history-recent gather gate x400.0", "206e82abf20d2127c77fa4130284d2a5845a90ebd25f391c7ce2df3635855fc6",
        "history-recent catalogue gate x1.0", "4bc4c347480e36d18fc0dea6550ff1e99c1801659b6e1ecb6f8491de7eccfc9f",
        "history-recent catalogue gate x400.0", "018bf050a2c1e75e1fd7f2778546c75468a598b0f88ec534a1f4b51e6eed4ff3",
        "history-recent-no-user gather gate x1.0", "f4c266ba6dbb87822657da9cb440becb9673821fa9d55cf392cb853af84dfa04",
        "history-recent-no-user gather gate x400.0", "15c1632492856e7f6f07ac26f998d22eb4e49f6795dcc117568b42657c9a3958",
        "history-recent-no-user catalogue gate x1.0", "0b0bf55b91086253a4eb91b1bb3ceb6b5fc2546520188a003db3b4edbc297f59",
        "history-recent-no-user catalogue gate x400.0", "545e39be5c332e0fb0517a2ca6b0628fe08dae6d1fde34682566fc57fa43918b",
        "history-recent-gmf-head gather", "d993671825b6266d2c5e86696049c7e975800ce441e1ea80b6654e80cec846bf",
        "history-recent-gmf-head catalogue", "566d33e2de3f281276a6a7e58569284d114dadad937aebf274cab3263f1225b3");

    @Test
    void everyExportVariantKeepsItsBytes() {
        Map<String, String> actual = new LinkedHashMap<>();
        exports().forEach((name, exported) -> actual.put(name, exported.sha256()));
        String listing = actual.entrySet().stream()
                .map(e -> "        \"" + e.getKey() + "\", \"" + e.getValue() + "\"")
                .collect(Collectors.joining(",\n"));
        assertThat(actual).as("export digests; if the graph changed on purpose, pin these:%n%s", listing)
                .containsExactlyEntriesOf(PINNED);
    }

    /**
     * Node attributes are written in name order, whatever the order of the map they were given in ({@code Map.of}
     * iterates in an order that changes from one JVM to the next, which would change the bytes of a release).
     */
    @Test
    void nodeAttributesAreInNameOrder() throws Exception {
        for (Map.Entry<String, ExportedModel> e : exports().entrySet()) {
            for (OnnxMl.NodeProto node : OnnxMl.ModelProto.parseFrom(e.getValue().onnx()).getGraph().getNodeList()) {
                List<String> names = node.getAttributeList().stream().map(OnnxMl.AttributeProto::getName).toList();
                assertThat(names).as("%s: attributes of %s", e.getKey(), node.getName()).isSorted();
            }
        }
    }

    @Test
    void theVariantsCoverEveryGraphShape() throws Exception {
        // Each scoring and, in catalogue scoring, both gate forms for a table user and a history user occur, so
        // the pinned set cannot silently lose a code path.
        Map<String, String> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, ExportedModel> e : exports().entrySet()) {
            OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(e.getValue().onnx());
            String gateForm = proto.getMetadataPropsList().stream()
                    .filter(entry -> entry.getKey().equals(OnnxExporter.META_GATE_FORM))
                    .map(OnnxMl.StringStringEntryProto::getValue).findFirst().orElse("ungated");
            String family = e.getKey().startsWith("history") ? "history" : "table";
            shapes.put(family + " " + e.getValue().scoring().label() + " " + gateForm, e.getKey());
        }
        assertThat(shapes).containsKeys("table gather ungated", "table catalogue ungated", "table gather per-item",
                "table catalogue factored", "table catalogue per-item", "history gather ungated",
                "history gather per-item", "history catalogue ungated", "history catalogue factored",
                "history catalogue per-item");
    }

    /** Name (config, scoring, gate scale) to its export, in a fixed order. */
    private static Map<String, ExportedModel> exports() {
        Map<String, ExportedModel> out = new LinkedHashMap<>();
        ExportFixtures.configs().forEach((name, config) -> {
            for (CandidateScoring scoring : CandidateScoring.values()) {
                if (OnnxExporter.effectiveScoring(config, scoring) != scoring) {
                    continue;
                }
                for (float gateScale : config.gated() ? GATE_SCALES : List.of(1f)) {
                    NcfModel model = model(config, gateScale);
                    String key = name + " " + scoring.label() + (config.gated() ? " gate x" + gateScale : "");
                    out.put(key, OnnxExporter.export(model, METADATA, scoring));
                }
            }
        });
        return out;
    }

    private static NcfModel model(ModelConfig config, float gateScale) {
        NcfModel model = ExportFixtures.randomModel(config, USERS, ITEMS, 21, 0.5);
        if (gateScale != 1f) {
            DenseLayout.Entry gate = model.denseLayout().entry("gate_weight");
            float[] dense = model.parameters().dense();
            for (int i = gate.offset(); i < gate.offset() + gate.size(); i++) {
                dense[i] *= gateScale;
            }
        }
        return model;
    }

    private static Map<String, String> pinned(String... nameThenDigest) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameThenDigest.length; i += 2) {
            out.put(nameThenDigest[i], nameThenDigest[i + 1]);
        }
        return out;
    }
}
