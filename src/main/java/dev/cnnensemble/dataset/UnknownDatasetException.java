package dev.cnnensemble.dataset;

import java.util.Collection;
import java.util.TreeSet;

public class UnknownDatasetException extends RuntimeException {

    public UnknownDatasetException(String name, Collection<String> known) {
        super("unknown dataset '" + name + "'; known datasets: " + String.join(", ", new TreeSet<>(known)));
    }
}
