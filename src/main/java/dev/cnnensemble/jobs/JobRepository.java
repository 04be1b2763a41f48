package dev.cnnensemble.jobs;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;

public interface JobRepository extends ListCrudRepository<JobRecord, String>, ListPagingAndSortingRepository<JobRecord, String> {

    Page<JobRecord> findByState(JobState state, Pageable pageable);

    Optional<JobRecord> findByIdempotencyKey(String idempotencyKey);

    List<JobRecord> findByStateInOrderByCreatedAtAsc(Collection<JobState> states);

    long countByState(JobState state);
}
