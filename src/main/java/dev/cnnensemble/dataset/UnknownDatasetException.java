package dev.cnnensemble.dataset;

import dev.cnnensemble.support.Problems;

import java.util.Collection;
import java.util.TreeSet;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

public class UnknownDatasetException extends ErrorResponseException {

    public UnknownDatasetException(String name, Collection<String> known) {
        super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "Unknown dataset",
                "unknown dataset '" + name + "'; known datasets: " + String.join(", ", new TreeSet<>(known))), null);
    }
}
