package dev.cnnensemble.training;

/** Receives a member's training events on its training thread; implementations must return quickly. */
public interface MemberListener {

    MemberListener NONE = new MemberListener() {
    };

    default void onStart(MemberStart start) {
    }

    default void onStep(MemberProgress progress) {
    }

    default void onEpoch(MemberEpoch epoch) {
    }
}
