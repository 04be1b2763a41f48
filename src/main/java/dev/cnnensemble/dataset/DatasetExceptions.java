package dev.cnnensemble.dataset;

import dev.cnnensemble.support.ProblemException;

import java.util.List;

import org.springframework.http.HttpStatus;

/** What the dataset module refuses about a dataset as a whole, each with its status and title. */
public final class DatasetExceptions {

    private DatasetExceptions() {
    }

    /** A dataset of that name exists already, built in or uploaded, on any replica. */
    public static class NameTaken extends ProblemException {
        public NameTaken(String name) {
            super(HttpStatus.CONFLICT, "Dataset exists", "a dataset named '" + name + "' exists already; choose another name, "
                    + "or DELETE /datasets/" + name + " first if it is yours and no job uses it");
        }
    }

    /** Jobs or models still train on the dataset, or serve with its class names. */
    public static class InUse extends ProblemException {
        public InUse(String name, List<String> jobIds) {
            super(HttpStatus.CONFLICT, "Dataset in use", "dataset '" + name + "' is used by " + jobIds.size() + " job(s) or model(s): "
                    + String.join(", ", jobIds.subList(0, Math.min(5, jobIds.size()))) + (jobIds.size() > 5 ? ", …" : "")
                    + "; delete them first (DELETE /jobs/{id})");
        }
    }

    /** The service's own datasets stay. */
    public static class BuiltIn extends ProblemException {
        public BuiltIn(String name) {
            super(HttpStatus.CONFLICT, "Built-in dataset", "'" + name + "' is built in and cannot be deleted; only uploaded datasets can");
        }
    }
}
