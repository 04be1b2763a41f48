package dev.cnnensemble.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.nd4j.linalg.learning.config.Adam;
import org.springframework.stereotype.Component;

/** Summaries of the architectures, built once on first request. */
@Component
public class ArchitectureCatalog {

    private final Map<Architecture, NetworkSummary> summaries = new ConcurrentHashMap<>();

    public NetworkSummary summary(Architecture architecture) {
        return summaries.computeIfAbsent(architecture, a -> NetworkFactory.create(a, 0, new Adam()).summary());
    }

    public List<NetworkSummary> all() {
        return Arrays.stream(Architecture.values()).map(this::summary).toList();
    }
}
