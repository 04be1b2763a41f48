package dev.cnnensemble.jobs;

import dev.cnnensemble.training.TrainingDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * Which devices this replica's workers train on. On a CPU, two workers per core by default: members
 * side by side on one thread each outpace one member on every core (OpenMP waits at the barriers of
 * the many small operations of a step), and with more workers than cores a job's members all start
 * together instead of the last ones training alone at the end (measured with {@code bench/pool}). On GPUs, one worker per GPU the backend can run; a GPU it
 * cannot run is reported and left out, and with none left this replica trains nothing, so the work
 * goes to the workers of other replicas.
 *
 * @param workers  the device of each worker
 * @param devices  every device probed, usable or not
 * @param problems what keeps devices out, for the log and the health details
 */
record WorkerPlan(List<TrainingDevice> workers, List<TrainingDevice> devices, List<String> problems, int cores) {

    static WorkerPlan none() {
        return new WorkerPlan(List.of(), List.of(), List.of(), 0);
    }

    static WorkerPlan of(List<TrainingDevice> devices, int configuredWorkers, int cores) {
        List<TrainingDevice> usable = devices.stream().filter(TrainingDevice::usable).toList();
        List<String> problems = new ArrayList<>(devices.stream().filter(d -> !d.usable())
                .map(d -> d.label() + " (" + d.name() + "): " + d.problem()).toList());
        if (usable.isEmpty()) {
            problems.add("no device can train here: this replica's jobs wait for the workers of other replicas");
            return new WorkerPlan(List.of(), devices, problems, cores);
        }
        int count = configuredWorkers > 0 ? configuredWorkers
                : usable.get(0).kind() == TrainingDevice.Kind.CPU ? Math.max(1, 2 * cores) : usable.size();
        List<TrainingDevice> workers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            workers.add(usable.get(i % usable.size()));
        }
        return new WorkerPlan(List.copyOf(workers), devices, List.copyOf(problems), cores);
    }

    int size() {
        return workers.size();
    }

    /**
     * The CPU threads of a training step while {@code busy} workers train: fixed when configured, else
     * the cores shared evenly among the busy workers. 0 (the backend's choice) on GPUs.
     */
    int threadsPerStep(int configured, int busy) {
        if (workers.isEmpty() || workers.get(0).kind() == TrainingDevice.Kind.GPU) {
            return 0;
        }
        return configured > 0 ? configured : Math.max(1, cores / Math.max(1, busy));
    }
}
