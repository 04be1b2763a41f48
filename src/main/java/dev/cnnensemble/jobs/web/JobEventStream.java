package dev.cnnensemble.jobs.web;

import dev.cnnensemble.jobs.JobEvent;
import dev.cnnensemble.jobs.JobView;
import dev.cnnensemble.jobs.JobsProperties;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events per job: {@code state} (the whole job, on subscribe and on every state
 * change), {@code progress} (at most every {@code cnn.jobs.event-interval}), {@code epoch} (each
 * completed epoch). The stream ends when the job reaches a final state.
 */
@Component
class JobEventStream {

    private final Map<String, List<SseEmitter>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, Long> lastProgress = new ConcurrentHashMap<>();
    private final long intervalNanos;

    JobEventStream(JobsProperties properties) {
        this.intervalNanos = properties.eventInterval().toNanos();
    }

    SseEmitter subscribe(JobView current) {
        SseEmitter emitter = new SseEmitter(0L);
        if (!send(emitter, "state", current) || current.state().isFinal()) {
            emitter.complete();
            return emitter;
        }
        List<SseEmitter> list = subscribers.computeIfAbsent(current.id(), id -> new CopyOnWriteArrayList<>());
        list.add(emitter);
        Runnable remove = () -> list.remove(emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        return emitter;
    }

    @EventListener
    void progressed(JobEvent.Progressed event) {
        long now = System.nanoTime();
        Long last = lastProgress.get(event.jobId());
        if (last == null || now - last >= intervalNanos || event.progress().percent() >= 100) {
            lastProgress.put(event.jobId(), now);
            broadcast(event.jobId(), "progress", event.progress());
        }
    }

    @EventListener
    void epochCompleted(JobEvent.EpochCompleted event) {
        broadcast(event.jobId(), "epoch", event.epoch());
    }

    /** Sends the job's new state; a final state ends its streams. */
    @EventListener
    void stateChanged(JobEvent.StateChanged event) {
        JobView job = event.job();
        broadcast(job.id(), "state", job);
        if (job.state().isFinal()) {
            lastProgress.remove(job.id());
            List<SseEmitter> list = subscribers.remove(job.id());
            if (list != null) {
                list.forEach(SseEmitter::complete);
            }
        }
    }

    private void broadcast(String jobId, String name, Object payload) {
        List<SseEmitter> list = subscribers.get(jobId);
        if (list != null) {
            for (SseEmitter emitter : list) {
                if (!send(emitter, name, payload)) {
                    list.remove(emitter);
                }
            }
        }
    }

    private static boolean send(SseEmitter emitter, String name, Object payload) {
        try {
            emitter.send(SseEmitter.event().name(name).data(payload, MediaType.APPLICATION_JSON));
            return true;
        } catch (IOException | IllegalStateException gone) {
            return false;
        }
    }
}
