package org.dgquantum.examples.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jExampleTest {

    private static void check(Dl4jExample.Result r) {
        assertEquals(0.0, r.maxOutputDifference(), r.model() + ": a loaded model gives the saved model's outputs exactly");
        assertTrue(r.lossAfter() < r.lossBefore(), r.model() + ": training lowers the loss: " + r);
    }

    @Test
    void computationGraphTrainsSavesAndLoads(@TempDir Path dir) throws Exception {
        check(Dl4jExample.graph(dir));
    }

    @Test
    void multiLayerNetworkTrainsSavesAndLoads(@TempDir Path dir) throws Exception {
        check(Dl4jExample.multiLayer(dir));
    }

    @Test
    void mainRuns() throws Exception {
        Dl4jExample.main(new String[0]);
    }
}
