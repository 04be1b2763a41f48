package dev.cnnensemble.jobs;

import dev.cnnensemble.training.TrainingDevices;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The training worker threads: each is bound to its device for life, so the networks it trains stay
 * there and never cross threads, and each knows its name in the worker list.
 */
@Component
class WorkerThreads {

    /** The worker the calling thread is, or null on any other thread. */
    private static final ThreadLocal<Integer> WORKER = new ThreadLocal<>();

    private final WorkerPlan plan;
    private final ObjectProvider<TrainingDevices> devices;
    private final JobsProperties properties;
    private final String replica;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();

    WorkerThreads(WorkerPlan plan, ObjectProvider<TrainingDevices> devices, JobsProperties properties) {
        this.plan = plan;
        this.devices = devices;
        this.properties = properties;
        this.replica = QueueConfiguration.replicaName(properties);
    }

    ExecutorService executor() {
        ThreadFactory factory = task -> {
            int index = created.getAndIncrement() % Math.max(1, plan.size());
            return new Thread(() -> {
                WORKER.set(index);
                if (!plan.workers().isEmpty()) {
                    devices.getObject().bind(plan.workers().get(index));
                }
                task.run();
            }, "training-worker-" + index);
        };
        return Executors.newFixedThreadPool(Math.max(1, plan.size()), factory);
    }

    String replica() {
        return replica;
    }

    /** The calling worker's name, unique across replicas. */
    String currentWorker() {
        Integer index = WORKER.get();
        return replica + "/" + (index == null ? Thread.currentThread().getName() : index);
    }

    List<String> names() {
        return IntStream.range(0, plan.size()).mapToObj(i -> replica + "/" + i).toList();
    }

    WorkerPlan plan() {
        return plan;
    }

    /** Counts the workers that train now, which share the cores. */
    void started() {
        busy.incrementAndGet();
    }

    void finished() {
        busy.decrementAndGet();
    }

    int threadsPerStep() {
        return plan.threadsPerStep(properties.threadsPerWorker(), busy.get());
    }
}
