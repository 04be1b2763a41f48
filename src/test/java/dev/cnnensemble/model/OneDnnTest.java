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
    void aNewNetworkGetsItsOneDnnHelpersWithoutAnyFlag() {
        // Surefire passes no helpers flag, so only the default that NetworkFactory sets can turn them on.
        Network network = NetworkFactory.create(Architecture.CNN, 1, new Adam(1e-3));

        assertThat(network.oneDnnActive()).as("the convolution layers hold oneDNN helpers before any fit").isTrue();
        assertThat(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN())
                .as("the shim that DL4J's helper check reads reports oneDNN").isTrue();
    }
}
