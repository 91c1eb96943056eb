package org.dgquantum.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OneDnnHelpersTest {
    private final String saved = System.getProperty(OneDnnHelpers.PROPERTY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(OneDnnHelpers.PROPERTY);
        } else {
            System.setProperty(OneDnnHelpers.PROPERTY, saved);
        }
    }

    @Test
    void theShimMakesDl4jsCheckPass() {
        // Fails (false) without org.nd4j.nativeblas.Nd4jCpu$Environment: the check looks it up by name.
        assertTrue(BaseMKLDNNHelper.mklDnnEnabled(), "oneDNN helper check failed; is the onednn native jar used?");
    }

    @Test
    void onANonCpuNd4jBackendEnableLeavesDl4jsDefault() {
        System.clearProperty(OneDnnHelpers.PROPERTY);
        assertFalse(OneDnnHelpers.enable(false));
        assertNull(System.getProperty(OneDnnHelpers.PROPERTY), "helpers must stay at DL4J's default (off)");
        assertTrue(OneDnnHelpers.enable(true));
        assertEquals("false", System.getProperty(OneDnnHelpers.PROPERTY));
    }
}
