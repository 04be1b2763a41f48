package dev.cnnensemble.training.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.training.TrainingDevice;

import org.junit.jupiter.api.Test;

class Dl4jDevicesTest {

    @Test
    void dl4jsCudaBuildRunsCapabilitiesFromKeplerK80ToAdaButNotHopper() {
        assertThat(Dl4jDevices.supported(3, 5)).isFalse();
        assertThat(Dl4jDevices.supported(3, 7)).isTrue();
        assertThat(Dl4jDevices.supported(7, 5)).isTrue();
        assertThat(Dl4jDevices.supported(8, 6)).isTrue();
        // sm_86 machine code runs on 8.9; 9.0 needs PTX, which the build does not carry.
        assertThat(Dl4jDevices.supported(8, 9)).isTrue();
        assertThat(Dl4jDevices.supported(9, 0)).isFalse();
        assertThat(Dl4jDevices.supported(12, 0)).isFalse();
    }

    @Test
    void theCpuBackendOffersOneDeviceThatTrains() {
        assertThat(new Dl4jDevices().probe()).singleElement()
                .satisfies(d -> assertThat(d.kind()).isEqualTo(TrainingDevice.Kind.CPU)).matches(TrainingDevice::usable);
    }
}
