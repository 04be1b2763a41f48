package dev.cnnensemble.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Guards the 5x: if a dependency change or a DL4J upgrade loses the oneDNN helpers (see
 * {@link OneDnn} and the {@code org.nd4j.nativeblas.Nd4jCpu} shim), this fails instead of training
 * silently getting slower.
 */
class OneDnnTest {

    @Test
    void convolutionLayersRunThroughOneDnnAfterTheFirstFit() {
        for (Architecture architecture : Architecture.values()) {
            Network network = NetworkFactory.create(architecture, 1, new Adam(1e-3));
            network.fit(Nd4j.rand(8, 784), Nd4j.eye(10).getRows(0, 1, 2, 3, 4, 5, 6, 7));

            assertThat(network.oneDnnActive()).as("%s uses the oneDNN convolution helper", architecture).isTrue();
        }
    }

    @Test
    void helpersAreEnabledByDefault() {
        NetworkFactory.create(Architecture.CNN, 1, new Adam(1e-3));

        assertThat(System.getProperty(OneDnn.HELPERS_DISABLE)).isEqualTo("false");
        assertThat(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN()).isTrue();
    }
}
