package dev.cnnensemble.dataset;

import dev.cnnensemble.support.ProblemException;

import org.springframework.http.HttpStatus;

/** A known dataset that is not on disk and that no configured source can deliver: a job on it could not run. */
public class DatasetNotObtainableException extends ProblemException {

    public DatasetNotObtainableException(String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Dataset not available", detail);
    }
}
