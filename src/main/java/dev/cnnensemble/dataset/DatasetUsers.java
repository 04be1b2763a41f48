package dev.cnnensemble.dataset;

import java.util.List;

/**
 * Who still needs a dataset: the jobs and models trained on it. A port, because the jobs module
 * depends on this one, not the other way round; the jobs module implements it.
 */
public interface DatasetUsers {

    /** The ids of the jobs (models among them) on the dataset, oldest first. */
    List<String> jobsOn(String dataset);
}
