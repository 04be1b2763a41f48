package dev.cnnensemble.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;

import java.time.Clock;
import java.util.Collection;

import org.springframework.stereotype.Component;

/**
 * The member tasks waiting for a worker, as rows of db-scheduler's table: any worker of any replica
 * claims them, leases them with heartbeats, and a dead worker's task is handed out again. Scheduling
 * joins the caller's transaction, so a job and its tasks are stored together or not at all.
 */
@Component
class MemberQueue {

    private final Scheduler scheduler;
    private final CustomTask<Void> task;
    private final Clock clock;

    MemberQueue(Scheduler scheduler, CustomTask<Void> memberTask, Clock clock) {
        this.scheduler = scheduler;
        this.task = memberTask;
        this.clock = clock;
    }

    void add(String jobId, Collection<Integer> members) {
        for (int member : members) {
            scheduler.scheduleIfNotExists(instance(jobId, member), clock.instant());
        }
    }

    /** Takes waiting members off the queue; a member a worker has already picked finds itself cancelled. */
    void remove(String jobId, Collection<Integer> members) {
        for (int member : members) {
            TaskInstanceId id = instance(jobId, member);
            if (scheduler.getScheduledExecution(id).filter(e -> !e.isPicked()).isPresent()) {
                try {
                    scheduler.cancel(id);
                } catch (RuntimeException pickedMeanwhile) {
                    // The worker that picked it sees the member cancelled and drops the task.
                }
            }
        }
    }

    private TaskInstance<Void> instance(String jobId, int member) {
        return task.instance(new MemberTaskId(jobId, member).toString());
    }
}
