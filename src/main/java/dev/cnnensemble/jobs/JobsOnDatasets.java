package dev.cnnensemble.jobs;

import dev.cnnensemble.dataset.DatasetUsers;

import java.util.List;

import org.springframework.stereotype.Component;

/** Tells the dataset module which jobs a dataset still serves, whatever their state. */
@Component
class JobsOnDatasets implements DatasetUsers {

    private final JobRepository jobs;

    JobsOnDatasets(JobRepository jobs) {
        this.jobs = jobs;
    }

    @Override
    public List<String> jobsOn(String dataset) {
        return jobs.findIdsByDataset(dataset);
    }
}
