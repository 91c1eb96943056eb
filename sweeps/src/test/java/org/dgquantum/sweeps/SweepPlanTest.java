package org.dgquantum.sweeps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dgquantum.trainer.train.TrainConfig;
import org.dgquantum.trainer.train.TrainerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlanTest {
    @TempDir
    Path dir;

    SweepPlan plan(String name, String text) throws IOException {
        return SweepPlan.read(Files.writeString(dir.resolve(name), text));
    }

    String error(String name, String text) {
        return assertThrows(TrainerException.class, () -> plan(name, text)).getMessage();
    }

    @Test
    void theExampleSpecExpandsToTheProductOfItsAxes() {
        SweepPlan p = SweepPlan.read(Path.of("../examples/sweeps/tiny.yaml"));
        assertEquals(4, p.runs().size());
        assertEquals(List.of("dgquantum", "dgquantum", "simplecnn", "simplecnn"),
                p.runs().stream().map(r -> r.config().name()).toList());
        assertEquals(List.of(1L, 2L, 1L, 2L), p.runs().stream().map(r -> r.config().seed()).toList());
        TrainConfig first = p.runs().get(0).config();
        assertEquals(32, first.imageSize());
        assertEquals(2, first.circuit().layers());
        assertEquals(TrainConfig.forModel("simplecnn", 2).with(b -> b.imageSize(32).width(0.25).perClass(4)
                .perClassTest(2).batchSize(8).epochs(1).qubits(4).circuitLayers(2)), p.runs().get(3).config());
        assertTrue(p.runs().get(1).directory().matches("dgquantum-seed2-[0-9a-f]{10}"), p.runs().get(1).directory());
        assertEquals(4, p.runs().stream().map(SweepPlan.Run::directory).collect(Collectors.toSet()).size());
    }

    @Test
    void directoriesDependOnTheConfigurationNotOnTheSpecsOrder() throws IOException {
        SweepPlan a = plan("a.yaml", "base: {epochs: 2, qubits: 4}\naxes: {seed: [1, 2], layers: [1, 2]}\n");
        SweepPlan b = plan("b.json", "{\"axes\": {\"layers\": [2, 1], \"seed\": [2, 1]}, \"base\": {\"qubits\": 4,"
                + " \"epochs\": 2}}");
        Set<String> hashesA = a.runs().stream().map(r -> SweepPlan.hash(r.config())).collect(Collectors.toSet());
        Set<String> hashesB = b.runs().stream().map(r -> SweepPlan.hash(r.config())).collect(Collectors.toSet());
        assertEquals(4, hashesA.size());
        assertEquals(hashesA, hashesB);
        // Any option changes the hash, even one the spec does not vary.
        TrainConfig c = a.runs().get(0).config();
        for (TrainConfig other : List.of(c.with(x -> x.beta(2e-4)), c.with(x -> x.flips(false)),
                c.with(x -> x.data("mri")), c.with(x -> x.alpha(0.5)), c.with(x -> x.testCenters(List.of("C-older"))))) {
            assertNotEquals(SweepPlan.hash(c), SweepPlan.hash(other), other.toString());
        }
    }

    @Test
    void testCentersAreAListOrACommaStringAndLeftOutOfTheHashWhenDefault() throws Exception {
        SweepPlan p = plan("c.yaml", "base: {epochs: 1}\naxes: {test-centers: [[C-older], \"A-highfield, B-mainstream\"]}\n");
        assertEquals(List.of(List.of("C-older"), List.of("A-highfield", "B-mainstream")),
                p.runs().stream().map(r -> r.config().testCenters()).toList());
        assertEquals("A-highfield, B-mainstream", p.runs().get(1).options().get("test-centers")); // as written
        assertTrue(p.runs().get(1).directory().startsWith("dgquantum-test-centersa-highfield_b-mainstream-"),
                p.runs().get(1).directory());
        // The default (the source's own split) is not written, so configs and hashes from before the option stay.
        TrainConfig plain = plan("d.yaml", "base: {epochs: 1}").runs().get(0).config();
        assertTrue(!new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(plain).contains("testCenters"));
        assertTrue(error("e.yaml", "base: {test-centers: \"A,,B\"}").endsWith("e.yaml: base.test-centers: A,,B:"
                + " expected one or more center names separated by commas"));
    }

    @Test
    void explicitRunsAddToTheAxesAndNoShiftIsAFlag() throws IOException {
        SweepPlan p = plan("r.yaml", "axes: {seed: [1]}\nruns:\n  - {model: mobilenetv2, no-shift: true}\n");
        assertEquals(2, p.runs().size());
        assertEquals(false, p.runs().get(1).config().shift());
        assertEquals(Map.of("model", "mobilenetv2", "no-shift", "true"), p.runs().get(1).options());
        assertEquals(1, plan("only.yaml", "runs: [{seed: 5}]").runs().size());
    }

    @Test
    void badSpecsNameTheFileTheKeyPathAndTheProblem() {
        String unknown = error("u.yaml", "axes: {qubit: [1, 2]}");
        assertTrue(unknown.endsWith("u.yaml: axes.qubit: unknown option 'qubit'"
                + " (expected one of alpha, backend, batch, beta, classical-control, data, domain-weight, encoding, entangler,"
                + " epochs, eta, gradient, image-size, init-from, layers, lr, model, name, no-adversarial, no-flip, no-quantum, no-shift,"
                + " qubits, rotations, seed, select-by, test-centers, test-per-class, train-per-class, validation, width)"),
                unknown);
        assertTrue(error("r.yaml", "axes: {qubits: [4, 0]}").endsWith("r.yaml: axes.qubits[1]: 0: expected 1..30"));
        assertTrue(error("t.yaml", "base: {epochs: many}").contains("t.yaml: base.epochs: many: wrong type"));
        // a circuit field (nested in config.json) is named by its key too
        assertTrue(error("c.yaml", "base: {layers: many}").contains("c.yaml: base.layers: many: wrong type"));
        assertTrue(error("g.yaml", "axes: {encoding: [RX, RZ]}").endsWith("g.yaml: axes.encoding[1]: RZ: expected RX or RY"));
        assertTrue(error("e.yaml", "axes: {seed: []}").endsWith("e.yaml: axes.seed: expected a non-empty list of values"));
        assertTrue(error("m.yaml", "runs: [{model: vgg}]").endsWith("m.yaml: runs[0].model: vgg: expected dgquantum or a"
                + " baseline: mobilenetv2, resnet18, efficientnet-b0, simplecnn"));
        assertTrue(error("d.yaml", "axes: {seed: [1, 1]}").contains("d.yaml: axes: the run {seed=1} is the same run as"
                + " {seed=1}"));
        assertTrue(error("s.yaml", "basis: {seed: 1}").endsWith("s.yaml: basis: unknown section (expected base, axes,"
                + " variants or runs)"));
        assertTrue(error("y.yaml", "axes: {seed: [1, 2").startsWith(dir.resolve("y.yaml") + ": not valid YAML at line"));
        assertTrue(error("f.yaml", "base: {no-shift: 3}").endsWith("f.yaml: base.no-shift: 3: expected true or false"));
        String missing = assertThrows(TrainerException.class, () -> SweepPlan.read(dir.resolve("none.yaml"))).getMessage();
        assertTrue(missing.endsWith("none.yaml: no such file"), missing);
    }

    @Test
    void variantsAreCombinedWithEveryAxisValueSeedMajor() throws IOException {
        SweepPlan p = plan("v.yaml", "base: {epochs: 1}\naxes: {seed: [1, 2]}\nvariants:\n  - {model: simplecnn}\n"
                + "  - {model: dgquantum, name: dgq-classical, classical-control: true}\n");
        assertEquals(4, p.runs().size());
        assertEquals(List.of("simplecnn/1", "dgq-classical/1", "simplecnn/2", "dgq-classical/2"),
                p.runs().stream().map(r -> r.config().name() + "/" + r.config().seed()).toList());
        assertTrue(p.runs().get(1).config().classicalControl());
        assertTrue(p.runs().get(1).config().quantum());
        assertTrue(!p.runs().get(0).config().classicalControl());
        assertTrue(error("w.yaml", "axes: {seed: [1]}\nvariants: [{seed: 2}]").endsWith(
                "w.yaml: variants[0].seed: also an axis (expected each option in the axes or in the variants, not both)"));
        assertTrue(error("x.yaml", "variants: [{model: simplecnn, classical-control: true}]").contains(
                "x.yaml: variants[0].classical-control: true: expected the quantum layer on"));
        assertTrue(error("z.yaml", "variants: []").endsWith("z.yaml: variants: expected a non-empty list of option mappings"));
    }

    @Test
    void theBuiltInReproductionIsTheFiveModelsTheAblationsAndTheControlOverThreeSeeds() {
        SweepPlan p = Reproduction.plan(new Reproduction.Choice(null, null, List.of(), false));
        assertEquals(9 * 3, p.runs().size());
        java.util.Map<String, org.dgquantum.trainer.train.TrainConfig> seed1 = new java.util.LinkedHashMap<>();
        p.runs().stream().filter(r -> r.config().seed() == 1).forEach(r -> seed1.put(r.config().name(), r.config()));
        assertEquals(List.of("dgquantum", "resnet18", "mobilenetv2", "efficientnet-b0", "simplecnn", "dgquantum-no-shift",
                "dgquantum-no-adversarial", "dgquantum-no-quantum", "dgquantum-classical"), List.copyOf(seed1.keySet()));
        var full = seed1.get("dgquantum");
        assertTrue(full.quantum() && full.adversarial() && full.shift() && !full.classicalControl());
        assertEquals(full.with(b -> b.name("dgquantum-classical").classicalControl(true)), seed1.get("dgquantum-classical"));
        assertEquals(full.with(b -> b.name("dgquantum-no-quantum").quantum(false)), seed1.get("dgquantum-no-quantum"));
        assertEquals(full.with(b -> b.name("dgquantum-no-adversarial").adversarial(false)),
                seed1.get("dgquantum-no-adversarial"));
        assertEquals(full.with(b -> b.name("dgquantum-no-shift").adversarial(false).shift(false)),
                seed1.get("dgquantum-no-shift"));
        // every table row is a model the runs predict (plain or +tta)
        for (Reproduction.Row r : Reproduction.TABLE1) {
            assertTrue(seed1.containsKey(r.model().replace(Reproduction.TTA, "")), r.model());
        }
        for (Reproduction.Row r : Reproduction.ABLATIONS) {
            assertTrue(seed1.containsKey(r.model().replace(Reproduction.TTA, "")), r.model());
        }

        SweepPlan q = Reproduction.plan(new Reproduction.Choice("mri", null, List.of("ch2-1mm"), true));
        assertEquals(9 * Reproduction.QUICK_SEEDS.size(), q.runs().size());
        var c = q.runs().get(0).config();
        assertEquals("mri", c.data());
        assertEquals(List.of("ch2-1mm"), c.testCenters());
        assertEquals(16, c.imageSize());
        assertEquals(1, c.epochs());
        assertEquals(List.of(7L, 8L), Reproduction.plan(new Reproduction.Choice(null, List.of(7L, 8L), List.of(), true))
                .runs().stream().map(r -> r.config().seed()).distinct().toList());
    }

    @Test
    void leaveOneCenterOutIsOneGroupPerCenterOfEveryVariantAndSeed() {
        SweepPlan p = Reproduction.plan(new Reproduction.Choice(null, List.of(1L), List.of(), true,
                List.of("A-highfield", "C-older", "E-speckle-ghost"), 3));
        assertEquals(3, p.runs().get(0).config().epochs());
        assertEquals(3 * 9, p.runs().size());
        assertEquals(List.of(List.of("A-highfield"), List.of("C-older"), List.of("E-speckle-ghost")),
                p.runs().stream().map(r -> r.config().testCenters()).distinct().toList());
        assertEquals(3, p.runs().stream().filter(r -> r.config().name().equals("dgquantum-classical")).count());
        assertThrows(IllegalArgumentException.class, () -> new Reproduction.Choice(null, null, List.of("C-older"), true,
                List.of("A-highfield"), null));
    }
}
