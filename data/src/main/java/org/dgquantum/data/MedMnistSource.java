package org.dgquantum.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * MedMNIST {@code .npz} files (BreastMNIST, PneumoniaMNIST, ...): keys {@code train_images},
 * {@code train_labels}, {@code test_images}, {@code test_labels} and optionally {@code val_images},
 * {@code val_labels}. Images are (N, H, W) or (N, H, W, 1|3) (colour via luminance), uint8 0..255 (divided by 255) or
 * other types (divided by the maximum when it exceeds 1); labels (N) or (N, 1) with values 0 and 1. positiveLabel says which label value is the lesion
 * class (BreastMNIST: 0 = malignant, so pass 0; PneumoniaMNIST: 1 = pneumonia). Source = train (+ val),
 * each split its own domain; target = test.
 */
public final class MedMnistSource {
    private MedMnistSource() {
    }

    public static DataBundle load(Path file, int size, int positiveLabel) {
        if (positiveLabel != 0 && positiveLabel != 1) {
            throw new IllegalArgumentException("positive label must be 0 or 1, got " + positiveLabel);
        }
        Map<String, NpyArray> arrays = Npz.read(file);
        for (String k : List.of("train_images", "train_labels", "test_images", "test_labels")) {
            if (!arrays.containsKey(k)) {
                throw new DataException(file, "missing key '" + k + "' (found " + arrays.keySet()
                        + "); expected MedMNIST keys train_images, train_labels, [val_images, val_labels,]"
                        + " test_images, test_labels");
            }
        }
        boolean hasVal = arrays.containsKey("val_images") || arrays.containsKey("val_labels");
        String stem = file.getFileName().toString().replaceFirst("\\.npz$", "");
        List<Sample> source = new ArrayList<>();
        List<String> sourceDomains = new ArrayList<>();
        sourceDomains.add(stem + "/train");
        split(file, arrays, "train", size, positiveLabel, 0, stem + "/train", source);
        if (hasVal) {
            sourceDomains.add(stem + "/val");
            split(file, arrays, "val", size, positiveLabel, 1, stem + "/val", source);
        }
        List<Sample> target = new ArrayList<>();
        split(file, arrays, "test", size, positiveLabel, 0, stem + "/test", target);
        Dataset src = new Dataset("medmnist/source", source, sourceDomains);
        int[] c = src.classCounts();
        if (c[0] == 0 || c[1] == 0) {
            throw new DataException(file, "single class in train" + (hasVal ? "+val" : "") + ": " + c[0] + " normal, "
                    + c[1] + " lesion images");
        }
        return new DataBundle("medmnist", src, new Dataset("medmnist/target", target, List.of(stem + "/test")));
    }

    private static void split(Path file, Map<String, NpyArray> arrays, String prefix, int size, int positiveLabel,
            int domain, String domainName, List<Sample> out) {
        NpyArray images = arrays.get(prefix + "_images");
        NpyArray labels = arrays.get(prefix + "_labels");
        if (images == null || labels == null) {
            throw new DataException(file, "has '" + prefix + (images == null ? "_labels' but no '" + prefix + "_images'"
                    : "_images' but no '" + prefix + "_labels'"));
        }
        long[] s = images.shape();
        boolean ok = s.length == 3 || (s.length == 4 && (s[3] == 1 || s[3] == 3));
        if (!ok || s[0] == 0 || s[1] < 2 || s[2] < 2) {
            throw new DataException(file, "'" + prefix + "_images' has shape " + Arrays.toString(s)
                    + "; expected (N, H, W) or (N, H, W, 1|3) with N >= 1");
        }
        long[] ls = labels.shape();
        boolean labelsOk = (ls.length == 1 || (ls.length == 2 && ls[1] == 1)) && ls[0] == s[0];
        if (!labelsOk) {
            throw new DataException(file, "'" + prefix + "_labels' has shape " + Arrays.toString(ls) + "; expected ("
                    + s[0] + ") or (" + s[0] + ", 1) to match '" + prefix + "_images' " + Arrays.toString(s));
        }
        TreeSet<Float> values = new TreeSet<>();
        for (float v : labels.data()) {
            values.add(v);
        }
        if (!values.stream().allMatch(v -> v == 0f || v == 1f)) {
            throw new DataException(file, "'" + prefix + "_labels' has values " + values
                    + "; only binary labels 0/1 are supported");
        }
        int n = (int) s[0];
        int h = (int) s[1];
        int w = (int) s[2];
        int ch = s.length == 4 ? (int) s[3] : 1;
        float max = 0;
        for (float v : images.data()) {
            max = Math.max(max, v);
        }
        float scale = images.dtype().endsWith("u1") ? 255f : (max > 1.0f ? max : 1f);
        for (int i = 0; i < n; i++) {
            float[] g = new float[h * w];
            for (int p = 0; p < h * w; p++) {
                int base = (i * h * w + p) * ch;
                float v = ch == 3 ? 0.299f * images.data()[base] + 0.587f * images.data()[base + 1]
                        + 0.114f * images.data()[base + 2] : images.data()[base];
                g[p] = v / scale;
            }
            float[] img = ImageOps.clamp01(h == size && w == size ? g : ImageOps.resize(g, h, w, size, size));
            int label = labels.data()[i] == positiveLabel ? 1 : 0;
            out.add(new Sample(domainName + "/" + i, label, domain, domainName, size, size, img));
        }
    }
}
