package dev.cnnensemble.jobs;

import dev.cnnensemble.training.TrainingEngine;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The training threads, one per device unless configured otherwise; each binds itself to its
 * device and trains one job at a time, so a network never crosses threads. At start it re-queues
 * what the previous process accepted. At shutdown it asks running jobs to checkpoint and waits for
 * them, within the lifecycle's shutdown timeout, before the database goes away.
 */
@Component
@ConditionalOnBooleanProperty(name = "cnn.jobs.enabled", matchIfMissing = true)
class JobWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);
    private static final long POLL_MILLIS = 500;

    private final JobService service;
    private final TrainingEngine engine;
    private final int workers;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    JobWorkers(JobService service, TrainingEngine engine, JobsProperties properties) {
        this.service = service;
        this.engine = engine;
        this.workers = properties.workers() > 0 ? properties.workers() : engine.devices();
    }

    @Override
    public void start() {
        service.recover();
        running = true;
        int devices = engine.devices();
        for (int i = 0; i < workers; i++) {
            int device = i % devices;
            Thread thread = new Thread(() -> work(device), "training-worker-" + i);
            thread.start();
            threads.add(thread);
        }
        log.info("{} training worker(s) started on {} device(s)", workers, devices);
    }

    private void work(int device) {
        engine.bindCurrentThread(device);
        while (running) {
            try {
                service.runNext(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Training worker survived an unexpected error", e);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        service.stopAllForShutdown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
        log.info("Training workers stopped; interrupted jobs resume on the next start");
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
