package dev.cnnensemble.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnensemble.training.TrainingDevice;
import dev.cnnensemble.training.TrainingDevice.Kind;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which devices get workers, decided from stand-in device lists. */
class WorkerPlanTest {

    private static final TrainingDevice AMPERE = new TrainingDevice(Kind.GPU, 0, "NVIDIA A100", "8.0", null);
    private static final TrainingDevice HOPPER = new TrainingDevice(Kind.GPU, 1, "NVIDIA H200", "9.0",
            "compute capability 9.0 has no kernels in DL4J 1.0.0-M2.1's CUDA build (3.7 to 8.x)");

    @Test
    void aCpuGetsTwoWorkersPerCoreAndAMemberAloneGetsEveryCore() {
        WorkerPlan plan = WorkerPlan.of(List.of(TrainingDevice.cpu(2)), 0, 2);

        assertThat(plan.size()).isEqualTo(4);
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.threadsPerStep(0, 1)).isEqualTo(2);
        assertThat(plan.threadsPerStep(0, 2)).isEqualTo(1);
        assertThat(plan.threadsPerStep(0, 4)).as("never below one").isEqualTo(1);
        assertThat(plan.threadsPerStep(1, 1)).as("a configured count holds").isEqualTo(1);
    }

    @Test
    void configuredWorkersShareTheDevices() {
        assertThat(WorkerPlan.of(List.of(TrainingDevice.cpu(8)), 3, 8).size()).isEqualTo(3);
    }

    @Test
    void aGpuTheBackendCannotRunIsReportedAndGetsNoWorker() {
        WorkerPlan plan = WorkerPlan.of(List.of(AMPERE, HOPPER), 0, 16);

        assertThat(plan.workers()).containsExactly(AMPERE);
        assertThat(plan.problems()).singleElement().asString().contains("gpu:1", "NVIDIA H200", "9.0");
        assertThat(plan.threadsPerStep(0, 1)).as("the backend's choice on a GPU").isZero();
    }

    @Test
    void withNoUsableGpuThisReplicaTrainsNothingAndSaysSo() {
        WorkerPlan plan = WorkerPlan.of(List.of(HOPPER), 0, 16);

        assertThat(plan.size()).isZero();
        assertThat(plan.problems()).hasSize(2).last().asString().contains("other replicas");
    }
}
