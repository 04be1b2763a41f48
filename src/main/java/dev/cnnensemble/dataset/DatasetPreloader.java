package dev.cnnensemble.dataset;

import dev.cnnensemble.config.CnnProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Fetches and verifies the configured datasets once the service is up, on a background thread, so
 * that a fresh machine ends with real MNIST on disk without delaying start-up.
 */
@Component
class DatasetPreloader {

    private static final Logger log = LoggerFactory.getLogger(DatasetPreloader.class);

    private final DatasetStore store;
    private final CnnProperties properties;

    DatasetPreloader(DatasetStore store, CnnProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void preload() {
        Thread preloader = new Thread(() -> {
            for (String name : properties.datasets().preload()) {
                try {
                    store.load(name);
                } catch (RuntimeException e) {
                    log.error("Could not preload dataset {}: {}", name, e.getMessage());
                }
            }
        }, "dataset-preload");
        preloader.setDaemon(true);
        preloader.start();
    }
}
