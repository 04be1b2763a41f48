package dev.cnnensemble.jobs.web;

import dev.cnnensemble.jobs.JobExceptions.NotFound;
import dev.cnnensemble.jobs.JobQueries;
import dev.cnnensemble.jobs.JobView;
import dev.cnnensemble.jobs.JobsProperties;

import jakarta.annotation.PreDestroy;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events per job: {@code state} (the whole job, on subscribe and on every state
 * change), {@code progress} (when it changed, at most every {@code cnn.jobs.event-interval}) and
 * {@code epoch} (an epoch's row, whenever a member or the ensemble adds to it). The figures come from
 * the database, so a stream on any replica follows members that train on any other. The stream ends
 * when the job reaches a final state or is deleted.
 */
@Component
class JobEventStream {

    private static final Logger log = LoggerFactory.getLogger(JobEventStream.class);

    /** A job's open streams and what they were last sent. */
    private static final class Followed {
        final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
        JobView last;
        final Map<Integer, JobView.EpochView> epochs = new HashMap<>();

        Followed(JobView first) {
            last = first;
            if (first.history() != null) {
                first.history().forEach(e -> epochs.put(e.epoch(), e));
            }
        }
    }

    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final JobQueries queries;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "job-events");
        thread.setDaemon(true);
        return thread;
    });

    JobEventStream(JobQueries queries, JobsProperties properties) {
        this.queries = queries;
        long interval = properties.eventInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, interval, interval, TimeUnit.MILLISECONDS);
    }

    SseEmitter subscribe(JobView current) {
        SseEmitter emitter = new SseEmitter(0L);
        if (!send(emitter, "state", current) || current.state().isFinal()) {
            emitter.complete();
            return emitter;
        }
        Followed job = followed.computeIfAbsent(current.id(), id -> new Followed(current));
        job.emitters.add(emitter);
        Runnable remove = () -> job.emitters.remove(emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(e -> remove.run());
        return emitter;
    }

    private void poll() {
        followed.forEach((id, job) -> {
            try {
                if (job.emitters.isEmpty()) {
                    followed.remove(id);
                } else {
                    update(job, queries.get(id));
                }
            } catch (NotFound deleted) {
                end(id);
            } catch (RuntimeException e) {
                log.warn("Events of job {} could not be read: {}", id, e.toString());
            }
        });
    }

    private void update(Followed job, JobView now) {
        if (!Objects.equals(now.progress(), job.last.progress())) {
            broadcast(job, "progress", now.progress());
        }
        for (JobView.EpochView epoch : now.history()) {
            if (!epoch.equals(job.epochs.put(epoch.epoch(), epoch))) {
                broadcast(job, "epoch", epoch);
            }
        }
        if (now.state() != job.last.state() || now.stopRequested() != job.last.stopRequested()) {
            broadcast(job, "state", now);
        }
        job.last = now;
        if (now.state().isFinal()) {
            end(now.id());
        }
    }

    private void end(String id) {
        Followed job = followed.remove(id);
        if (job != null) {
            job.emitters.forEach(SseEmitter::complete);
        }
    }

    private static void broadcast(Followed job, String name, Object payload) {
        for (SseEmitter emitter : job.emitters) {
            if (!send(emitter, name, payload)) {
                job.emitters.remove(emitter);
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

    @PreDestroy
    void close() {
        poller.shutdownNow();
        followed.keySet().forEach(this::end);
    }
}
