package dev.cnnensemble.jobs;

import java.util.List;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

interface EpochRepository extends ListCrudRepository<EpochRecord, Long> {

    List<EpochRecord> findByJobIdOrderByEpochAscMemberAsc(String jobId);

    List<EpochRecord> findByJobIdAndEpoch(String jobId, int epoch);

    @Modifying
    @Query("DELETE FROM epoch_record WHERE job_id = :jobId AND epoch = :epoch AND member = :member")
    void deleteRow(String jobId, int epoch, int member);
}
