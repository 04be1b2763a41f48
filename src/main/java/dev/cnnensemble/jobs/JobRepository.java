package dev.cnnensemble.jobs;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

interface JobRepository extends ListCrudRepository<Job, String>, ListPagingAndSortingRepository<Job, String> {

    Page<Job> findByState(JobState state, Pageable pageable);

    Optional<Job> findByIdempotencyKey(String idempotencyKey);

    List<Job> findByStateIn(Collection<JobState> states);

    long countByState(JobState state);

    @Query("SELECT id FROM job_record WHERE dataset = :dataset ORDER BY created_at")
    List<String> findIdsByDataset(String dataset);
}
