package org.dgquantum.trainer.shift;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.dgquantum.data.Dataset;
import org.dgquantum.data.ImageBatch;
import org.dgquantum.data.ImageOps;
import org.dgquantum.data.Sample;
import org.dgquantum.data.SyntheticGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Imaging-shift simulation: every image is assigned a virtual domain (its domain label) and gets that
 * domain's brightness, contrast, sharpening and noise, each drawn uniformly from the domain's range, per
 * image. Effects are applied in the order sharpening (unsharp mask / blur), contrast and brightness
 * (x -> (x - 0.5) c + 0.5 + b), additive Gaussian noise, clamp to [0, 1]. Deterministic: the result for an
 * image depends only on (seed, key of the image), never on the thread count or batch composition.
 */
public final class ImagingShift {
    private final List<VirtualDomain> domains;
    private final long seed;

    public ImagingShift(List<VirtualDomain> domains, long seed) {
        this.domains = List.copyOf(domains);
        if (this.domains.isEmpty()) {
            throw new IllegalArgumentException("need at least one virtual domain");
        }
        this.seed = seed;
    }

    /** The three default domains (high-end, mainstream, legacy). */
    public static ImagingShift defaults(long seed) {
        return new ImagingShift(VirtualDomain.defaults(), seed);
    }

    public List<VirtualDomain> domains() {
        return domains;
    }

    public int numDomains() {
        return domains.size();
    }

    public List<String> domainNames() {
        return domains.stream().map(VirtualDomain::name).toList();
    }

    public long seed() {
        return seed;
    }

    /** The generator for one image: a function of (seed, key), e.g. key = epoch * N + sample index. */
    public SplittableRandom rngFor(long key) {
        return new SplittableRandom(SyntheticGenerator.mix(seed, 0x5417L, key));
    }

    /** Draws parameters for an image of the given domain. */
    public ShiftParams sample(int domain, SplittableRandom rng) {
        VirtualDomain d = domains.get(Objects.checkIndex(domain, domains.size()));
        return new ShiftParams(domain, d.brightness().sample(rng), d.contrast().sample(rng),
                d.sharpening().sample(rng), d.noise().sample(rng));
    }

    /** Applies fixed parameters to a row-major h x w image in [0, 1]; noise drawn from rng. Returns a new array. */
    public static float[] apply(float[] img, int h, int w, ShiftParams p, SplittableRandom rng) {
        float[] out;
        if (p.sharpening() != 0) {
            float[] blur = ImageOps.boxBlur3(img, h, w);
            out = new float[img.length];
            for (int i = 0; i < img.length; i++) {
                out[i] = (float) (img[i] + p.sharpening() * (img[i] - blur[i]));
            }
        } else {
            out = img.clone();
        }
        for (int i = 0; i < out.length; i++) {
            double v = (out[i] - 0.5) * p.contrast() + 0.5 + p.brightness();
            if (p.noise() > 0) {
                v += p.noise() * rng.nextGaussian();
            }
            out[i] = (float) v;
        }
        return ImageOps.clamp01(out);
    }

    /** Result of shifting a batch: features and the domain label per row. */
    public record Shifted(INDArray features, int[] domains, List<ShiftParams> params) {
        /** One-hot domain labels [B, numDomains]. */
        public INDArray domainsOneHot(int numDomains) {
            float[] buf = new float[domains.length * numDomains];
            for (int i = 0; i < domains.length; i++) {
                buf[i * numDomains + domains[i]] = 1f;
            }
            return Nd4j.create(buf, new long[] {domains.length, numDomains}, 'c');
        }
    }

    /**
     * Shifts a batch [B, C, H, W] (channels are treated alike: the same parameters and noise for all channels
     * of an image). Row b draws its domain uniformly at random, then its parameters and noise, all from
     * {@link #rngFor}(keys[b]), so each image gets a reproducible domain and parameters.
     */
    public Shifted shiftBatch(INDArray features, long[] keys) {
        ImageBatch in = ImageBatch.of(features, keys.length);
        int b = in.batch();
        int c = in.channels();
        int hw = in.planeSize();
        float[] out = new float[in.pixels().length];
        int[] dom = new int[b];
        ShiftParams[] params = new ShiftParams[b];
        IntStream.range(0, b).parallel().forEach(i -> {
            SplittableRandom rng = rngFor(keys[i]);
            int d = rng.nextInt(domains.size());
            ShiftParams p = sample(d, rng);
            dom[i] = d;
            params[i] = p;
            float[] img = new float[hw];
            System.arraycopy(in.pixels(), i * c * hw, img, 0, hw);
            float[] shifted = apply(img, in.height(), in.width(), p, rng);
            for (int ch = 0; ch < c; ch++) {
                System.arraycopy(shifted, 0, out, (i * c + ch) * hw, hw);
            }
        });
        return new Shifted(in.toArray(out), dom, List.of(params));
    }

    /**
     * A shifted copy of a dataset: sample i gets virtual domain (i mod numDomains) (balanced domains) and
     * parameters drawn from {@link #rngFor}(i); its domain becomes that virtual domain.
     */
    public Dataset apply(Dataset data) {
        List<String> names = domainNames();
        Sample[] out = new Sample[data.size()];
        IntStream.range(0, data.size()).parallel().forEach(i -> {
            Sample s = data.get(i);
            int d = i % domains.size();
            SplittableRandom rng = rngFor(i);
            ShiftParams p = sample(d, rng);
            out[i] = new Sample(s.id(), s.label(), d, names.get(d), s.height(), s.width(),
                    apply(s.pixels(), s.height(), s.width(), p, rng));
        });
        return new Dataset(data.name() + "/shifted", new ArrayList<>(List.of(out)), names);
    }
}
