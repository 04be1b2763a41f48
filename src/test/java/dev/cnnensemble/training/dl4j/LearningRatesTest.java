package dev.cnnensemble.training.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnensemble.training.TrainingConfig.LearningRateDecay;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;

class LearningRatesTest {

    @Test
    void staircaseHalvesEveryDecayPeriod() {
        LearningRateDecay decay = new LearningRateDecay(0.5, 100, true);

        assertThat(LearningRates.rateAt(0.001, decay, 10, 0)).isEqualTo(0.001);
        assertThat(LearningRates.rateAt(0.001, decay, 10, 99)).isEqualTo(0.001);
        assertThat(LearningRates.rateAt(0.001, decay, 10, 100)).isEqualTo(0.0005);
        assertThat(LearningRates.rateAt(0.001, decay, 10, 250)).isEqualTo(0.00025);
    }

    @Test
    void continuousDecayFollowsTheExponent() {
        LearningRateDecay decay = new LearningRateDecay(0.5, 100, false);

        assertThat(LearningRates.rateAt(0.001, decay, 10, 50)).isCloseTo(0.001 / Math.sqrt(2), within(1e-12));
        assertThat(LearningRates.rateAt(0.001, decay, 10, 200)).isCloseTo(0.00025, within(1e-12));
    }

    @Test
    void defaultPeriodIsFiveEpochsAsTheTutorialsDecayStepsWorkOutTo() {
        // decay_steps = 300,000 / 100 * 5 * 5 optimizer updates, shared by 5 models that each update
        // once per batch: 15,000 batches, i.e. 5 epochs of 3,000 steps.
        LearningRateDecay decay = LearningRateDecay.tutorial();

        assertThat(decay.effectiveSteps(3000)).isEqualTo(15_000);
        assertThat(LearningRates.rateAt(0.001, decay, 3000, 14_999)).isEqualTo(0.001);
        assertThat(LearningRates.rateAt(0.001, decay, 3000, 15_000)).isEqualTo(0.0005);
        assertThat(LearningRates.rateAt(0.001, decay, 3000, 44_999)).isEqualTo(0.00025);
    }

    @Test
    void dl4jSchedulesComputeTheSameValues() {
        for (boolean staircase : new boolean[]{true, false}) {
            LearningRateDecay decay = new LearningRateDecay(0.5, 600, staircase);
            ISchedule schedule = LearningRates.schedule(0.001, decay, 600);
            for (int step : new int[]{0, 1, 299, 599, 600, 601, 1799, 1800, 9000}) {
                assertThat(schedule.valueAt(step, 0)).as("step %d, staircase %s", step, staircase)
                        .isCloseTo(LearningRates.rateAt(0.001, decay, 600, step), within(1e-12));
            }
        }
    }

    @Test
    void noDecayMeansAConstantRate() {
        ISchedule schedule = LearningRates.schedule(0.001, null, 600);

        assertThat(schedule.valueAt(0, 0)).isEqualTo(0.001);
        assertThat(schedule.valueAt(1_000_000, 100)).isEqualTo(0.001);
        assertThat(LearningRates.rateAt(0.001, null, 600, 1_000_000)).isEqualTo(0.001);
    }
}
