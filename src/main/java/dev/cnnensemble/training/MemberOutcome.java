package dev.cnnensemble.training;

import dev.cnnensemble.model.NetworkSummary;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a call to {@link TrainingEngine#train} ended.
 *
 * @param completed false when it stopped on request before the last epoch
 * @param history   every epoch the member has completed, resumed ones included
 */
public record MemberOutcome(boolean completed, List<MemberEpoch> history, @Nullable NetworkSummary summary) {
}
