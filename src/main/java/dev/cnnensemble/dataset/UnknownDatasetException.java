package dev.cnnensemble.dataset;

import dev.cnnensemble.support.ProblemException;

import java.util.Collection;
import java.util.TreeSet;

import org.springframework.http.HttpStatus;

public class UnknownDatasetException extends ProblemException {

    public UnknownDatasetException(String name, Collection<String> known) {
        super(HttpStatus.NOT_FOUND, "Unknown dataset", "unknown dataset '" + name + "'; known datasets: " + String.join(", ", new TreeSet<>(known)));
    }
}
