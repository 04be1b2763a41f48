package dev.cnnensemble.jobs;

import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Ids of the jobs waiting for a worker. New submissions respect the capacity; jobs recovered after
 * a restart or re-queued at shutdown always get in, since they were accepted before.
 */
@Component
class JobQueue {

    private final BlockingDeque<String> ids = new LinkedBlockingDeque<>();
    private final int capacity;

    JobQueue(JobsProperties properties) {
        this.capacity = properties.queueCapacity();
    }

    synchronized boolean offerNew(String id) {
        if (ids.size() >= capacity) {
            return false;
        }
        return ids.offer(id);
    }

    void requeue(String id) {
        if (!ids.contains(id)) {
            ids.offer(id);
        }
    }

    boolean hasRoom() {
        return ids.size() < capacity;
    }

    String poll(long timeout, TimeUnit unit) throws InterruptedException {
        return ids.poll(timeout, unit);
    }

    boolean remove(String id) {
        return ids.remove(id);
    }

    int depth() {
        return ids.size();
    }
}
