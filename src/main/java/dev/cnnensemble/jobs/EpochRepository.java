package dev.cnnensemble.jobs;

import java.util.List;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

public interface EpochRepository extends ListCrudRepository<EpochRecord, Long> {

    List<EpochRecord> findByJobIdOrderByEpochAscMemberAsc(String jobId);

    @Modifying
    @Query("DELETE FROM epoch_record WHERE job_id = :jobId")
    void deleteByJobId(String jobId);

    @Modifying
    @Query("DELETE FROM epoch_record WHERE job_id = :jobId AND epoch = :epoch")
    void deleteByJobIdAndEpoch(String jobId, int epoch);
}
