package dev.cnnensemble.training;

import java.util.List;

/** The backend's devices: which can train, and how a worker thread binds to one. */
public interface TrainingDevices {

    /** Every device of the backend, each tried with a small operation; a CPU backend has one. */
    List<TrainingDevice> probe();

    /** Binds the calling thread to a device, so that the networks it trains live there. */
    void bind(TrainingDevice device);
}
