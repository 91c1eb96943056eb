package org.dgquantum.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An immutable list of equally sized labelled grayscale images with their centers (domains).
 * Domain indices of the samples index {@link #domainNames()}. Every derived dataset (split, subset, shuffle)
 * is a new object; pixel arrays are shared, never modified.
 */
public final class Dataset {
    public static final int NUM_CLASSES = 2;

    private final String name;
    private final List<Sample> samples;
    private final List<String> domainNames;
    private final int height;
    private final int width;

    /**
     * @param name        human-readable name (e.g. "synthetic/source")
     * @param samples     the samples; all the same size; each sample's domain must index domainNames and its
     *                    domainName must equal domainNames.get(domain)
     * @param domainNames the domains (centers) in index order
     */
    public Dataset(String name, List<Sample> samples, List<String> domainNames) {
        this.name = name;
        this.samples = List.copyOf(samples);
        this.domainNames = List.copyOf(domainNames);
        if (this.samples.isEmpty()) {
            this.height = 0;
            this.width = 0;
        } else {
            this.height = this.samples.get(0).height();
            this.width = this.samples.get(0).width();
        }
        for (Sample s : this.samples) {
            if (s.height() != height || s.width() != width) {
                throw new IllegalArgumentException("dataset " + name + ": sample " + s.id() + " is " + s.height()
                        + "x" + s.width() + ", others are " + height + "x" + width);
            }
            if (s.domain() >= this.domainNames.size() || !this.domainNames.get(s.domain()).equals(s.domainName())) {
                throw new IllegalArgumentException("dataset " + name + ": sample " + s.id() + " has domain "
                        + s.domain() + " '" + s.domainName() + "', not one of " + this.domainNames);
            }
        }
    }

    /** Builds a dataset, deriving the domain list from the samples' domain names (first-seen order). */
    public static Dataset fromSamples(String name, List<Sample> samples) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Sample> out = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            int d = index.computeIfAbsent(s.domainName(), k -> index.size());
            out.add(s.domain() == d ? s : s.withDomain(d, s.domainName()));
        }
        return new Dataset(name, out, new ArrayList<>(index.keySet()));
    }

    /**
     * Builds a dataset from features [N, 1, H, W] (or [N, H, W]) with values in [0, 1].
     *
     * @param domain      domain index per sample, or null for all 0
     * @param domainNames names for the domain indices, or null for "domain-0", ...
     * @param ids         ids per sample, or null for name + "/" + index
     */
    public static Dataset fromINDArray(String name, INDArray features, int[] labels, int[] domain,
            List<String> domainNames, List<String> ids) {
        long[] shape = features.shape();
        if (!(shape.length == 4 && shape[1] == 1) && shape.length != 3) {
            throw new IllegalArgumentException("features must be [N,1,H,W] or [N,H,W], got " + Arrays.toString(shape));
        }
        int n = (int) shape[0];
        int h = (int) shape[shape.length - 2];
        int w = (int) shape[shape.length - 1];
        if (labels.length != n || (domain != null && domain.length != n) || (ids != null && ids.size() != n)) {
            throw new IllegalArgumentException("features has " + n + " rows but labels/domain/ids do not");
        }
        float[] all = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int maxDomain = 0;
        if (domain != null) {
            for (int d : domain) {
                maxDomain = Math.max(maxDomain, d);
            }
        }
        List<String> names = new ArrayList<>();
        if (domainNames != null) {
            names.addAll(domainNames);
        }
        for (int d = names.size(); d <= maxDomain; d++) {
            names.add("domain-" + d);
        }
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int d = domain == null ? 0 : domain[i];
            float[] p = Arrays.copyOfRange(all, i * h * w, (i + 1) * h * w);
            out.add(new Sample(ids == null ? name + "/" + i : ids.get(i), labels[i], d, names.get(d), h, w, p));
        }
        return new Dataset(name, out, names);
    }

    public String name() {
        return name;
    }

    public List<Sample> samples() {
        return samples;
    }

    public Sample get(int i) {
        return samples.get(i);
    }

    public int size() {
        return samples.size();
    }

    public boolean isEmpty() {
        return samples.isEmpty();
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public List<String> domainNames() {
        return domainNames;
    }

    public int numDomains() {
        return domainNames.size();
    }

    /** Number of samples per class: [normal, lesion]. */
    public int[] classCounts() {
        int[] c = new int[NUM_CLASSES];
        for (Sample s : samples) {
            c[s.label()]++;
        }
        return c;
    }

    /** Number of samples per domain index. */
    public int[] domainCounts() {
        int[] c = new int[domainNames.size()];
        for (Sample s : samples) {
            c[s.domain()]++;
        }
        return c;
    }

    public int[] labels() {
        return samples.stream().mapToInt(Sample::label).toArray();
    }

    public int[] domains() {
        return samples.stream().mapToInt(Sample::domain).toArray();
    }

    public List<String> ids() {
        return samples.stream().map(Sample::id).toList();
    }

    /** The same dataset under another name. */
    public Dataset renamed(String newName) {
        return new Dataset(newName, samples, domainNames);
    }

    /** The samples at the given indices, in that order. */
    public Dataset subset(int[] indices) {
        List<Sample> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(samples.get(i));
        }
        return new Dataset(name, out, domainNames);
    }

    /** A seeded permutation of the samples. */
    public Dataset shuffled(long seed) {
        return subset(permutation(size(), new SplittableRandom(seed)));
    }

    /** Only the samples of the named domains; domain indices are renumbered in the given order. */
    public Dataset onlyDomains(Collection<String> names) {
        List<String> keep = new ArrayList<>();
        for (String n : names) {
            if (!domainNames.contains(n)) {
                throw new DataException("dataset " + name + " has no center '" + n + "'; it has " + domainNames);
            }
            if (!keep.contains(n)) {
                keep.add(n);
            }
        }
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            int d = keep.indexOf(s.domainName());
            if (d >= 0) {
                out.add(s.withDomain(d, s.domainName()));
            }
        }
        return new Dataset(name, out, keep);
    }

    /** This dataset followed by another one of the same image size; domains are merged by name. */
    public Dataset concat(Dataset other) {
        if (!isEmpty() && !other.isEmpty() && (other.height != height || other.width != width)) {
            throw new IllegalArgumentException("cannot concatenate " + height + "x" + width + " and "
                    + other.height + "x" + other.width + " images");
        }
        List<Sample> all = new ArrayList<>(samples);
        all.addAll(other.samples);
        return fromSamples(name, all);
    }

    /**
     * Downsamples the larger class (within each domain) so that both classes have the same count, keeping a
     * seeded random choice.
     */
    public Dataset balanced(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Sample> out = new ArrayList<>();
        for (int d = 0; d < domainNames.size(); d++) {
            List<List<Sample>> byClass = List.of(new ArrayList<>(), new ArrayList<>());
            for (Sample s : samples) {
                if (s.domain() == d) {
                    byClass.get(s.label()).add(s);
                }
            }
            int m = Math.min(byClass.get(0).size(), byClass.get(1).size());
            for (List<Sample> cls : byClass) {
                int[] perm = permutation(cls.size(), rng);
                int[] chosen = Arrays.copyOf(perm, m);
                Arrays.sort(chosen);
                for (int i : chosen) {
                    out.add(cls.get(i));
                }
            }
        }
        return new Dataset(name, out, domainNames);
    }

    /** A train / validation pair. */
    public record Split(Dataset train, Dataset validation) {
    }

    /**
     * A seeded split stratified by (domain, class): each stratum gives round(fraction * size) samples to the
     * validation set (at least one when the stratum has two or more). Order within each part follows this
     * dataset's order.
     */
    public Split split(double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        boolean[] toValidation = new boolean[size()];
        for (int d = 0; d < domainNames.size(); d++) {
            for (int c = 0; c < NUM_CLASSES; c++) {
                List<Integer> stratum = new ArrayList<>();
                for (int i = 0; i < size(); i++) {
                    if (samples.get(i).domain() == d && samples.get(i).label() == c) {
                        stratum.add(i);
                    }
                }
                int k = (int) Math.round(validationFraction * stratum.size());
                if (validationFraction > 0 && k == 0 && stratum.size() >= 2) {
                    k = 1;
                }
                int[] perm = permutation(stratum.size(), rng);
                for (int j = 0; j < k; j++) {
                    toValidation[stratum.get(perm[j])] = true;
                }
            }
        }
        List<Sample> train = new ArrayList<>();
        List<Sample> val = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            (toValidation[i] ? val : train).add(samples.get(i));
        }
        return new Split(new Dataset(name + "/train", train, domainNames),
                new Dataset(name + "/validation", val, domainNames));
    }

    /** Throws a {@link DataException} unless both classes are present. */
    public Dataset requireBothClasses() {
        int[] c = classCounts();
        if (isEmpty()) {
            throw new DataException("dataset " + name + " is empty");
        }
        if (c[0] == 0 || c[1] == 0) {
            throw new DataException("dataset " + name + " has a single class (" + c[0] + " normal, " + c[1]
                    + " lesion); both classes are needed");
        }
        return this;
    }

    // ---------------------------------------------------------------------------------------------- ND4J

    /** All features as [N, channels, H, W] float32. */
    public INDArray features(int channels) {
        return features(range(size()), channels);
    }

    /** Features of the given samples as [B, channels, H, W] float32 (the gray image replicated per channel). */
    public INDArray features(int[] indices, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        int hw = height * width;
        float[] buf = new float[indices.length * channels * hw];
        for (int b = 0; b < indices.length; b++) {
            float[] p = samples.get(indices[b]).pixels();
            for (int c = 0; c < channels; c++) {
                System.arraycopy(p, 0, buf, (b * channels + c) * hw, hw);
            }
        }
        return Nd4j.create(buf, new long[] {indices.length, channels, height, width}, 'c');
    }

    /** One-hot class labels [B, 2]. */
    public INDArray labelsOneHot(int[] indices) {
        float[] buf = new float[indices.length * NUM_CLASSES];
        for (int b = 0; b < indices.length; b++) {
            buf[b * NUM_CLASSES + samples.get(indices[b]).label()] = 1f;
        }
        return Nd4j.create(buf, new long[] {indices.length, NUM_CLASSES}, 'c');
    }

    /** One-hot domain labels [B, numDomains]; numDomains must exceed every domain index. */
    public INDArray domainsOneHot(int[] indices, int numDomains) {
        float[] buf = new float[indices.length * numDomains];
        for (int b = 0; b < indices.length; b++) {
            int d = samples.get(indices[b]).domain();
            if (d >= numDomains) {
                throw new IllegalArgumentException("domain " + d + " does not fit " + numDomains + " domains");
            }
            buf[b * numDomains + d] = 1f;
        }
        return Nd4j.create(buf, new long[] {indices.length, numDomains}, 'c');
    }

    /** The batch made of the given samples. */
    public Batch batch(int[] indices, int channels) {
        int[] cls = new int[indices.length];
        int[] dom = new int[indices.length];
        List<String> ids = new ArrayList<>(indices.length);
        List<String> dn = new ArrayList<>(indices.length);
        for (int b = 0; b < indices.length; b++) {
            Sample s = samples.get(indices[b]);
            cls[b] = s.label();
            dom[b] = s.domain();
            ids.add(s.id());
            dn.add(s.domainName());
        }
        return new Batch(features(indices, channels), labelsOneHot(indices),
                domainsOneHot(indices, Math.max(1, numDomains())), cls, dom, Collections.unmodifiableList(ids),
                Collections.unmodifiableList(dn));
    }

    /**
     * Consecutive batches over a permutation of the samples (seeded; pass shuffle=false for dataset order).
     * The last batch is smaller when size is not a multiple of batchSize, unless dropLast.
     */
    public List<Batch> batches(int batchSize, int channels, boolean shuffle, long seed, boolean dropLast) {
        return batchIndices(batchSize, shuffle, seed, dropLast).stream().map(ix -> batch(ix, channels)).toList();
    }

    /** The index arrays {@link #batches} would use, without building any array. */
    public List<int[]> batchIndices(int batchSize, boolean shuffle, long seed, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int[] order = shuffle ? permutation(size(), new SplittableRandom(seed)) : range(size());
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            if (dropLast && to - from < batchSize) {
                break;
            }
            out.add(Arrays.copyOfRange(order, from, to));
        }
        return out;
    }

    /** Replicates a [B, 1, H, W] array to [B, channels, H, W] (e.g. 3 for ImageNet-style encoders). */
    public static INDArray replicateChannels(INDArray x, int channels) {
        if (x.rank() != 4 || x.size(1) != 1) {
            throw new IllegalArgumentException("expected [B,1,H,W], got " + Arrays.toString(x.shape()));
        }
        if (channels == 1) {
            return x;
        }
        INDArray[] copies = new INDArray[channels];
        Arrays.fill(copies, x);
        return Nd4j.concat(1, copies);
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = range(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Set of distinct ids (for tests and checks). */
    Set<String> idSet() {
        return new HashSet<>(ids());
    }

    @Override
    public String toString() {
        int[] c = classCounts();
        return name + " (" + size() + " images " + height + "x" + width + ", " + c[0] + " normal / " + c[1]
                + " lesion, centers " + domainNames + ")";
    }
}
