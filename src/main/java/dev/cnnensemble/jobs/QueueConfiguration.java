package dev.cnnensemble.jobs;

import dev.cnnensemble.training.TrainingDevices;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * db-scheduler's core, wired by hand: its Boot starter at 16.7.1 is for Boot 3. One task kind, a
 * member of a job; the scheduler's executor threads are this replica's training workers.
 */
@Configuration(proxyBeanMethods = false)
class QueueConfiguration {

    static final String MEMBER_TASK = "train-member";

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    WorkerPlan workerPlan(ObjectProvider<TrainingDevices> devices, JobsProperties properties) {
        int cores = Runtime.getRuntime().availableProcessors();
        return properties.enabled() ? WorkerPlan.of(devices.getObject().probe(), properties.workers(), cores) : WorkerPlan.none();
    }

    @Bean
    CustomTask<Void> memberTask(ObjectProvider<MemberRunner> runner) {
        // A task that fails outside training (the database gone, say) is tried again a little later.
        return Tasks.custom(MEMBER_TASK, Void.class)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(30)))
                .execute((instance, context) -> switch (runner.getObject().run(MemberTaskId.parse(instance.getId()))) {
                    case FINISHED -> (complete, operations) -> operations.remove();
                    // Due again at once, so that a worker on another replica continues it from its checkpoint.
                    case RELEASED -> (complete, operations) -> operations.reschedule(complete, complete.getTimeDone());
                    // Another worker holds the task now; its row is theirs to complete.
                    case LOST -> (complete, operations) -> {
                    };
                });
    }

    @Bean(destroyMethod = "")
    Scheduler scheduler(DataSource dataSource, CustomTask<Void> memberTask, JobsProperties properties, WorkerPlan plan,
                        WorkerThreads threads) {
        var builder = Scheduler.create(new TransactionAwareDataSourceProxy(dataSource), memberTask)
                .schedulerName(new SchedulerName.Fixed(replicaName(properties)))
                .threads(Math.max(1, plan.size()))
                .executorService(threads.executor())
                .heartbeatInterval(properties.heartbeat())
                .missedHeartbeatsLimit(properties.missedHeartbeats())
                .pollingInterval(properties.pollInterval())
                .enableImmediateExecution()
                // Both databases keep the zone (TIMESTAMP WITH TIME ZONE); UTC everywhere spares H2 a warning.
                .alwaysPersistTimestampInUTC()
                // A stopping replica releases its members itself; this only bounds the wait for them.
                .shutdownMaxWait(Duration.ofSeconds(20));
        if (isPostgres(dataSource)) {
            // SELECT ... FOR UPDATE SKIP LOCKED: replicas claim tasks without contending.
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        return builder.build();
    }

    static String replicaName(JobsProperties properties) {
        if (properties.replicaName() != null && !properties.replicaName().isBlank()) {
            return properties.replicaName();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        } catch (SQLException e) {
            throw new IllegalStateException("the database cannot be reached", e);
        }
    }
}
