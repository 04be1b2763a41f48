package dev.cnnensemble.training.dl4j;

import dev.cnnensemble.training.TrainingConfig.LearningRateDecay;

import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * TensorFlow's {@code ExponentialDecay} expressed with DL4J's built-in schedules, so that the
 * schedule serialises with the model and its position is the network's iteration counter.
 */
final class LearningRates {

    private LearningRates() {
    }

    /** The rate at optimiser step {@code step}, the formula the DL4J schedule must follow. */
    static double rateAt(double initial, LearningRateDecay decay, int stepsPerEpoch, long step) {
        if (decay == null) {
            return initial;
        }
        double exponent = (double) step / decay.effectiveSteps(stepsPerEpoch);
        return initial * Math.pow(decay.rate(), decay.staircase() ? Math.floor(exponent) : exponent);
    }

    static ISchedule schedule(double initial, LearningRateDecay decay, int stepsPerEpoch) {
        if (decay == null) {
            // A constant schedule in the same family keeps checkpoints uniform.
            return new StepSchedule(ScheduleType.ITERATION, initial, 1.0, Integer.MAX_VALUE);
        }
        int steps = decay.effectiveSteps(stepsPerEpoch);
        return decay.staircase()
                ? new StepSchedule(ScheduleType.ITERATION, initial, decay.rate(), steps)
                : new ExponentialSchedule(ScheduleType.ITERATION, initial, Math.pow(decay.rate(), 1.0 / steps));
    }
}
