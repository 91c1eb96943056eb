package org.dgquantum.eval;

import java.util.List;
import java.util.Optional;

/**
 * The metrics of one model: over all its samples, and per domain (in order of first appearance).
 *
 * @param model   model name
 * @param seeds   the distinct seeds among its predictions (several seeds are pooled)
 * @param overall the result over all domains ({@link GroupMetrics#ALL})
 * @param domains one result per domain
 */
public record ModelMetrics(String model, List<Long> seeds, GroupMetrics overall, List<GroupMetrics> domains) {

    /** The result on {@code domain}, if the model has predictions there. */
    public Optional<GroupMetrics> domain(String domain) {
        return domains.stream().filter(g -> g.domain().equals(domain)).findFirst();
    }
}
