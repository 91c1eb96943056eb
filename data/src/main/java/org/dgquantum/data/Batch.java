package org.dgquantum.data;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One mini-batch ready for DL4J.
 *
 * @param features      [B, C, H, W] float32, intensities in [0, 1]
 * @param labels        [B, 2] one-hot class labels (column 1 = lesion)
 * @param domainLabels  [B, numDomains] one-hot domain labels
 * @param classIndex    class label per row
 * @param domainIndex   domain index per row
 * @param ids           sample ids per row
 * @param domainNames   domain name per row
 */
public record Batch(INDArray features, INDArray labels, INDArray domainLabels, int[] classIndex,
        int[] domainIndex, List<String> ids, List<String> domainNames) {

    public int size() {
        return classIndex.length;
    }

    /** Features and class labels as a DL4J {@link DataSet}. */
    public DataSet toDataSet() {
        return new DataSet(features, labels);
    }
}
