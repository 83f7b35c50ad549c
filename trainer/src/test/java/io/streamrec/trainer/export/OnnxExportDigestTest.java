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
        "gmf gather", "21254e7c1bafc0d547a972dd14de42dbb67329de19114b50f788e201cd010fe3",
        "gmf catalogue", "d66be4a41a387e17bb327ae9645dafe9f19ff6adc21a866ac39703fa703d9066",
        "mlp gather", "1eadfa4a63b5298806cc4e2f1c27f13b90751bcae20fb052ee5a43ee1a0370c6",
        "mlp catalogue", "2317cbdce4436b5f577f68758f505bf1305a6aa1b50d274fb28909f358f26f3a",
        "neumf gather", "54e953f9dcbdecb57eb367ee98d35ebf64542a54e35af38806cb221b250d8039",
        "neumf catalogue", "d4a3bee0bc735324b0c9697d39e19317c579622cc13ba42129e19f30d63352ed",
        "aneumf gather gate x1.0", "35cb370d85baff71ec1989794d5f017d6cb2e1c77b0c9ea194a81875854d7162",
        "aneumf gather gate x400.0", "9a99d1d893bf94d1efe6903c74b67e745eb372dfc7707f51d30d47d56b5ba768",
        "aneumf catalogue gate x1.0", "2c1d507f77308a1fa6d0cd1a18e357466a9cb27d48e962fcf69ada3e98d89f49",
        "aneumf catalogue gate x400.0", "08100900c9fa4018fe3fbc5bfc257a32f332069c3b35d4adb6a91a4dc83756d9",
        "history-aneumf gather gate x1.0", "051c98b3662e62c608baa55b9407fb0da213c1e096109f1ae4ed459752951533",
        "history-aneumf gather gate x400.0", "3a88e23e97145b6e9a6a73fc6577c225bc2d48d9d2eb9873b1ea7ab9c408a63d",
        "history-aneumf-no-user gather gate x1.0", "377a2d74f1675351c75ce829367c8b1a8f6dec496e91e1a6477969ae143b2444",
        "history-aneumf-no-user gather gate x400.0", "7d32faa06717d18e0c0e950ef9cb3974f02a24e9542f172221035042fd45e651",
        "history-gmf-head gather", "17d26d74d98cfb015c02d08bb607921150ade5ab442406e20b6f673eac48978e",
        "history-mlp-head gather gate x1.0", "c0103a9eb2fe3fda0c2f9ed538510d289427f363a909a61f493970488724b0d4",
        "history-mlp-head gather gate x400.0", "9fb8f0298bde4a5043c4992990068a6e1b92aa08ea65c2001371c87929a5a272",
        "history-recent gather gate x1.0", "df6099c06250b6bad6b3e9b082c0d0956a69952e1006a4ec886631c5727e9c0e",
        "history-recent gather gate x400.0", "e3c4a0295d23b7b3d9e2552520c64798aa8b11cb006edd41fe854be89d376311",
        "history-recent catalogue gate x1.0", "950d2abf373b0731953d27f55edc2d35d4ebdf1754dbfc9d6b9ef26d271ecfc5",
        "history-recent catalogue gate x400.0", "6b84ed1e772045625fdd97ea37c626d3df9044b1aed7bc3f733bdd05668f7b5f",
        "history-recent-no-user gather gate x1.0", "3b88d47c776e37787bf42f8d2285e4575069c3af3939d0db428f9b9b5d6446ba",
        "history-recent-no-user gather gate x400.0", "2dc8172f3c739ca0fa726c6f9ce54db660c5eb0b03b75700987e15ead0ceb1bc",
        "history-recent-no-user catalogue gate x1.0", "b6555e8c1b05420888094188e4232e220e6d42e418cc58956d5710a1ea498ac2",
        "history-recent-no-user catalogue gate x400.0", "7887e26e6b93ca238c26eaed39866f8263cff33455c477c66f1d3abd15c9d930",
        "history-recent-gmf-head gather", "22fe2ccde1c53cd2ee1412958d4ff429f04dad00112caa9fce39fdf255711674",
        "history-recent-gmf-head catalogue", "199a0d255b9752c32218135b4c5dafeda63254ef1f78cff2b2e6df0a9f71b155");

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
