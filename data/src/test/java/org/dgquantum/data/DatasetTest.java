package org.dgquantum.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DatasetTest {

    /** n samples per (domain, class), 4x3 images whose pixels encode the sample number. */
    static Dataset toy(int perStratum, int domains) {
        List<Sample> s = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int k = 0;
        for (int d = 0; d < domains; d++) {
            names.add("c" + d);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < perStratum; i++) {
                    float[] p = new float[12];
                    for (int j = 0; j < 12; j++) {
                        p[j] = (k * 12 + j) / 10000f;
                    }
                    s.add(new Sample("s" + k, c, d, "c" + d, 4, 3, p));
                    k++;
                }
            }
        }
        return new Dataset("toy", s, names);
    }

    @Test
    void splitIsStratifiedDisjointAndSeeded() {
        Dataset ds = toy(10, 3);
        Dataset.Split a = ds.split(0.2, 7);
        assertEquals(60, a.train().size() + a.validation().size());
        assertEquals(12, a.validation().size());
        assertArrayEquals(new int[] {6, 6}, a.validation().classCounts());
        assertArrayEquals(new int[] {4, 4, 4}, a.validation().domainCounts());
        Set<String> v = new HashSet<>(a.validation().ids());
        assertTrue(a.train().ids().stream().noneMatch(v::contains));
        assertEquals(a.validation().ids(), ds.split(0.2, 7).validation().ids());
        assertNotEquals(a.validation().ids(), ds.split(0.2, 8).validation().ids());
        assertThrows(IllegalArgumentException.class, () -> ds.split(1.0, 1));
    }

    @Test
    void balancedDownsamplesTheLargerClassPerDomain() {
        List<Sample> s = new ArrayList<>(toy(5, 2).samples());
        s.add(new Sample("extra1", 1, 0, "c0", 4, 3, new float[12]));
        s.add(new Sample("extra2", 1, 0, "c0", 4, 3, new float[12]));
        Dataset ds = new Dataset("x", s, List.of("c0", "c1"));
        assertArrayEquals(new int[] {10, 12}, ds.classCounts());
        Dataset b = ds.balanced(3);
        assertArrayEquals(new int[] {10, 10}, b.classCounts());
        assertArrayEquals(new int[] {10, 10}, b.domainCounts());
        assertEquals(b.ids(), ds.balanced(3).ids());
    }

    @Test
    void batchesCoverEverySampleOnceWithTheRightShapes() {
        Dataset ds = toy(5, 1); // 10 samples
        List<Batch> batches = ds.batches(4, 1, true, 11, false);
        assertEquals(3, batches.size());
        assertEquals(2, batches.get(2).size());
        Set<String> seen = new HashSet<>();
        for (Batch b : batches) {
            assertArrayEquals(new long[] {b.size(), 1, 4, 3}, b.features().shape());
            assertArrayEquals(new long[] {b.size(), 2}, b.labels().shape());
            for (int r = 0; r < b.size(); r++) {
                assertEquals(1.0, b.labels().getDouble(r, b.classIndex()[r]), 0);
                assertEquals(0.0, b.labels().getDouble(r, 1 - b.classIndex()[r]), 0);
                Sample s = ds.samples().stream().filter(x -> x.id().equals(b.ids().get(0))).findFirst().orElseThrow();
                assertEquals(s.pixel(0, 0), b.features().getFloat(0, 0, 0, 0), 0);
                assertEquals(s.pixel(3, 2), b.features().getFloat(0, 0, 3, 2), 0);
            }
            seen.addAll(b.ids());
        }
        assertEquals(10, seen.size());
        assertEquals(2, ds.batches(4, 1, false, 0, true).size());
        assertEquals(List.of("s0", "s1", "s2", "s3"), ds.batches(4, 1, false, 0, true).get(0).ids());
    }

    @Test
    void threeChannelFeaturesReplicateTheGrayImage() {
        Dataset ds = toy(2, 1);
        INDArray x3 = ds.features(new int[] {1, 3}, 3);
        assertArrayEquals(new long[] {2, 3, 4, 3}, x3.shape());
        INDArray x1 = ds.features(new int[] {1, 3}, 1);
        for (int c = 0; c < 3; c++) {
            assertEquals(x1.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(0)),
                    x3.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c)));
        }
        assertEquals(x3, Dataset.replicateChannels(x1, 3));
        assertEquals(x1.getFloat(1, 0, 2, 1), ds.get(3).pixel(2, 1), 0);
    }

    @Test
    void domainOneHotAndINDArrayRoundTrip() {
        Dataset ds = toy(2, 3);
        INDArray d = ds.domainsOneHot(new int[] {0, 4, 8}, 3);
        assertEquals(Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}), d);
        Dataset back = Dataset.fromINDArray("rt", ds.features(1), ds.labels(), ds.domains(), ds.domainNames(), ds.ids());
        assertEquals(ds.ids(), back.ids());
        assertArrayEquals(ds.labels(), back.labels());
        assertArrayEquals(ds.get(7).pixels(), back.get(7).pixels(), 0);
        assertEquals(ds.domainNames(), back.domainNames());
    }

    @Test
    void domainFilteringConcatAndClassChecks() {
        Dataset ds = toy(2, 3);
        Dataset c2 = ds.onlyDomains(List.of("c2"));
        assertEquals(List.of("c2"), c2.domainNames());
        assertTrue(c2.samples().stream().allMatch(s -> s.domain() == 0));
        DataException e = assertThrows(DataException.class, () -> ds.onlyDomains(List.of("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        Dataset joined = ds.onlyDomains(List.of("c0")).concat(c2);
        assertEquals(List.of("c0", "c2"), joined.domainNames());
        assertEquals(8, joined.size());
        List<Sample> one = ds.samples().stream().filter(s -> s.label() == 0).toList();
        DataException single = assertThrows(DataException.class,
                () -> Dataset.fromSamples("one", one).requireBothClasses());
        assertTrue(single.getMessage().contains("single class"), single.getMessage());
        assertThrows(DataException.class, () -> Dataset.fromSamples("empty", List.of()).requireBothClasses());
    }

    @Test
    void mismatchedSamplesAreRejected() {
        Sample a = new Sample("a", 0, 0, "c0", 2, 2, new float[4]);
        Sample b = new Sample("b", 1, 0, "c0", 3, 2, new float[6]);
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", List.of(a, b), List.of("c0")));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", List.of(a), List.of("other")));
        assertThrows(IllegalArgumentException.class, () -> new Sample("c", 2, 0, "c0", 2, 2, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> new Sample("c", 0, 0, "c0", 2, 2, new float[5]));
        assertArrayEquals(new float[][] {{1, 2}, {3, 4}}, Sample.of("d", 0, 0, "c", new float[][] {{1, 2}, {3, 4}}).image());
    }
}
