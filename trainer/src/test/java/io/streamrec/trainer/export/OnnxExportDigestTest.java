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
        "gmf gather", "1bf6b6bb8d7c9550ab97fe15f21ad7c504dd3e397baf97718c5eaaacea1a411b",
        "gmf catalogue", "87e17fd029dd08b42eb15ba2f9f729ba966e18572b25f04362a07ae82cbafca0",
        "mlp gather", "1eadfa4a63b5298806cc4e2f1c27f13b90751bcae20fb052ee5a43ee1a0370c6",
        "mlp catalogue", "2317cbdce4436b5f577f68758f505bf1305a6aa1b50d274fb28909f358f26f3a",
        "neumf gather", "9c62898bbaeabed1c74d55d307e814778ffc4712914b56b534327200526b355f",
        "neumf catalogue", "cab420d6b3bbfdfa064a58a928939eb730dd4c88bfc9c0f371921d140ed55dd3",
        "aneumf gather gate x1.0", "a08d9af63425b3fc861b3bd529e7749e5532f06866a76163367e3ea52219f2ec",
        "aneumf gather gate x400.0", "0120dde9eceb55843a7c5b99f0f8c98e8a6031dceab922ed8f0ce8344d5ae247",
        "aneumf catalogue gate x1.0", "dde4d6217349e9686a10cbbec2c5b3ad1428c659ed9d70d222b01d0823bf6396",
        "aneumf catalogue gate x400.0", "28273e549b4a14419db3f21af4a519f72a7beda25734bedd20a2fec9f2e8e87b",
        "history-aneumf gather gate x1.0", "051c98b3662e62c608baa55b9407fb0da213c1e096109f1ae4ed459752951533",
        "history-aneumf gather gate x400.0", "3a88e23e97145b6e9a6a73fc6577c225bc2d48d9d2eb9873b1ea7ab9c408a63d",
        "history-aneumf-no-user gather gate x1.0", "377a2d74f1675351c75ce829367c8b1a8f6dec496e91e1a6477969ae143b2444",
        "history-aneumf-no-user gather gate x400.0", "7d32faa06717d18e0c0e950ef9cb3974f02a24e9542f172221035042fd45e651",
        "history-gmf-head gather", "17d26d74d98cfb015c02d08bb607921150ade5ab442406e20b6f673eac48978e",
        "history-mlp-head gather gate x1.0", "c0103a9eb2fe3fda0c2f9ed538510d289427f363a909a61f493970488724b0d4",
        "history-mlp-head gather gate x400.0", "9fb8f0298bde4a5043c4992990068a6e1b92aa08ea65c2001371c87929a5a272",
        "history-recent gather gate x1.0", "26a2708a7d50b4f41c5d053ffa68e3ee7719f6f077a032aa4fac594a77d846b3",
        "history-recent gather gate x400.0", "e298da377c2361bab68ae3315fbfa0d085a2a52af0e5b6b71dda3c7193540711",
        "history-recent catalogue gate x1.0", "2f4eb86fd09552a624756ee0f70450dc5baa394d169cb116bad285cd27453ef5",
        "history-recent catalogue gate x400.0", "cf550f09a18043b7b7e837b8e7fa1905349e8a184bcbd175fb41dc65bbf5cbb1",
        "history-recent-no-user gather gate x1.0", "8f9f89f0864228e44922d9d2a21dd4ea5941aa238ac79d45999dfd6666d106b7",
        "history-recent-no-user gather gate x400.0", "0ac0ba5b08d931cb14f6c85262ac4b868f4e92ac9704d604618ef6ea872c3a93",
        "history-recent-no-user catalogue gate x1.0", "7246d304ba1f5e81edc3db5ca3f3393574af6cd7ae0c261f639e4652d8c8367c",
        "history-recent-no-user catalogue gate x400.0", "25b28b692cf49fb1e134bbfff8f0d16ea10cd4d5dfb61f60b3a2a2065280f152",
        "history-recent-gmf-head gather", "beb4580344633ac1dee2105f328117c02ed794a2b8c9a18f562fbf7d23975a01",
        "history-recent-gmf-head catalogue", "1ae0dc878588b084b2caf5525ba3bf50cd0dbd5ee62f3f1deda0ef1fe98d1442");

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
