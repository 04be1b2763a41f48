package dev.cnnensemble.training;

import java.util.List;

/**
 * Where a member's training picks up: {@code firstEpoch} is the first epoch it trains, and
 * {@code completedSteps} counts the steps already in its checkpoint, so a resumed member shows that
 * no finished epoch is trained again. {@code completedEpochs} are the epochs that checkpoint holds,
 * for a caller that may have missed recording some before a crash.
 */
public record MemberStart(int firstEpoch, long completedSteps, Work work, List<MemberEpoch> completedEpochs) {

    public boolean resumed() {
        return completedSteps > 0;
    }
}
